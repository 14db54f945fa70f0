// IPMI over LAN: RMCP, the v1.5/v2.0 session headers, IPMI messages, RMCP+ session setup (RAKP), its
// keys and per-packet protection, and the chassis commands a power driver sends. Codecs only: no I/O.

export * from "./rmcp.ts";
export * from "./session_header.ts";
export * from "./message.ts";
export * from "./cipher_suite.ts";
export * from "./crypto.ts";
export * from "./rakp.ts";
export * from "./commands.ts";
export * from "./completion.ts";
