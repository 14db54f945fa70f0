import { type Decoded, decoded, decodeFailure } from "../errors.ts";

// RMCP (DMTF ASF 2.0, section 3.2.2.2), the 4-byte header in front of every IPMI-over-LAN datagram on
// UDP port 623: version 6, a reserved byte, a sequence number (0xFF: "no RMCP ACK wanted", which IPMI
// always uses) and the message class (7 for IPMI, 6 for ASF pings).

export const RMCP_PORT = 623;
export const RMCP_VERSION = 0x06;
export const RMCP_HEADER_LENGTH = 4;
export const RMCP_CLASS_ASF = 0x06;
export const RMCP_CLASS_IPMI = 0x07;
const RMCP_NO_ACK = 0xff;

export interface RmcpMessage {
  /** The class, without the ACK bit. */
  readonly messageClass: number;
  readonly body: Uint8Array;
}

/** Writes the RMCP header for an IPMI message into the first 4 bytes of `target`. */
export function writeRmcpHeader(target: Uint8Array, messageClass = RMCP_CLASS_IPMI): void {
  target[0] = RMCP_VERSION;
  target[1] = 0;
  target[2] = RMCP_NO_ACK;
  target[3] = messageClass;
}

export function decodeRmcp(bytes: Uint8Array): Decoded<RmcpMessage> {
  if (bytes.length < RMCP_HEADER_LENGTH) {
    return decodeFailure("rmcp", `${bytes.length} bytes is shorter than the 4-byte header`);
  }
  if (bytes[0] !== RMCP_VERSION) return decodeFailure("rmcp", `version ${bytes[0]} is not 6`);
  if (bytes[3] & 0x80) return decodeFailure("rmcp", "an RMCP ACK, not a message");
  return decoded({ messageClass: bytes[3] & 0x1f, body: bytes.subarray(RMCP_HEADER_LENGTH) });
}
