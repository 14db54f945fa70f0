// Pure protocol codecs: bytes in, values out, no I/O. Decoders return Decoded<T> and never throw;
// encoders compute lengths and checksums and throw RangeError only for values that cannot be encoded.

export * from "./errors.ts";
export * from "./checksum.ts";
export * from "./mac.ts";
export * from "./ipv4addr.ts";
export * from "./ethernet.ts";
export * from "./arp.ts";
export * from "./ipv4.ts";
export * from "./udp.ts";
export * from "./icmp.ts";
export * as dhcp from "./dhcp/mod.ts";
export * as tftp from "./tftp/mod.ts";
export * from "./wol.ts";
export * from "./tcp.ts";
