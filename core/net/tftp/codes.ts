// TFTP numbers shared by the codec's files: opcodes (RFC 1350 §5, RFC 2347 for OACK), the well-known port
// and the block size limits of RFC 2348.

export const TFTP_PORT = 69;

/** Read request. */
export const TFTP_RRQ = 1;
/** Write request. */
export const TFTP_WRQ = 2;
export const TFTP_DATA = 3;
export const TFTP_ACK = 4;
export const TFTP_ERROR = 5;
/** Option acknowledgment (RFC 2347). */
export const TFTP_OACK = 6;

export type TftpOpcode =
  | typeof TFTP_RRQ
  | typeof TFTP_WRQ
  | typeof TFTP_DATA
  | typeof TFTP_ACK
  | typeof TFTP_ERROR
  | typeof TFTP_OACK;

const OPCODE_NAMES: Record<number, string> = {
  1: "RRQ",
  2: "WRQ",
  3: "DATA",
  4: "ACK",
  5: "ERROR",
  6: "OACK",
};

/** "RRQ", "DATA", ... or "opcode N" for a number TFTP does not define. */
export function opcodeName(op: number): string {
  return OPCODE_NAMES[op] ?? `opcode ${op}`;
}

/** Data bytes per DATA packet when no blksize was negotiated (RFC 1350). */
export const TFTP_DEFAULT_BLOCK_SIZE = 512;
/** The blksize range of RFC 2348: 8 to 65464 octets (65464 + 4 + 8 + 20 = 65496 fits an IPv4 datagram). */
export const TFTP_MIN_BLOCK_SIZE = 8;
export const TFTP_MAX_BLOCK_SIZE = 65464;
/** Opcode and block number in front of every DATA payload. */
export const TFTP_DATA_HEADER_LENGTH = 4;
/** An ACK is the opcode and the block number. */
export const TFTP_ACK_LENGTH = 4;
