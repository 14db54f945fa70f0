// DHCPv4 codec (RFC 2131/2132 and the option RFCs named in each file): pure, bytes in and values out.
// decodeDhcp never throws and fails only on structural damage; malformed option values surface through
// the typed getters as DecodeErrors. encodeDhcp splits long options (RFC 3396), overflows into file and
// sname with option 52 when the receiver's maximum size demands it, and throws RangeError for values
// that cannot be encoded.

export * from "./codes.ts";
export * from "./options.ts";
export * from "./message.ts";
export * from "./values.ts";
export * from "./typed.ts";
export * from "./client_id.ts";
export * from "./domain_search.ts";
export * from "./routes.ts";
export * from "./suboptions.ts";
export * from "./relay_agent.ts";
export * from "./vendor.ts";
export * from "./user_class.ts";
export * from "./pxe.ts";
export * from "./pxe_vendor.ts";
export * from "./pxe_answer.ts";
export * from "./request.ts";
export * from "./boot_answer.ts";
export * from "./boot_reply.ts";
export * from "./proxy_reply.ts";
export * from "./kinds.ts";
