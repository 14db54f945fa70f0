// TFTP codec (RFC 1350, options of RFC 2347/2348/2349/7440): pure, bytes in and values out. decodeTftp
// never throws; encoders throw RangeError for values that cannot go on the wire. negotiate() is the
// server's side of option negotiation, acceptOack() the client's. Filenames are passed through as sent:
// deciding what a name may reach is the server's jail, not the codec.

export * from "./codes.ts";
export * from "./errors.ts";
export * from "./mode.ts";
export * from "./options.ts";
export * from "./packets.ts";
export * from "./netascii.ts";
export * from "./blocks.ts";
