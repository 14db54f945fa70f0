import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { readUint16, requireRoom, requireUint, writeUint16 } from "../bytes.ts";
import {
  opcodeName,
  TFTP_ACK,
  TFTP_ACK_LENGTH,
  TFTP_DATA,
  TFTP_DATA_HEADER_LENGTH,
  TFTP_ERROR,
  TFTP_MAX_BLOCK_SIZE,
  TFTP_OACK,
  TFTP_RRQ,
  TFTP_WRQ,
} from "./codes.ts";
import { parseMode, type TftpMode } from "./mode.ts";
import { decodeOptionList, optionListLength, type TftpOptions, writeOptionList } from "./options.ts";
import { findNul, latin1, utf8Field, utf8Lossy, utf8OrUndefined } from "./strings.ts";
import { tftpErrorMessage } from "./errors.ts";

// TFTP packets (RFC 1350 §5, OACK from RFC 2347), the UDP payloads of a transfer:
//
//   RRQ/WRQ  | opcode 1/2 | filename | 0 | mode | 0 | opt1 | 0 | value1 | 0 | ... |
//   DATA     | opcode 3 | block | data (0 to blksize bytes) |
//   ACK      | opcode 4 | block |
//   ERROR    | opcode 5 | error code | message | 0 |
//   OACK     | opcode 6 | opt1 | 0 | value1 | 0 | ... |
//
// decodeTftp never throws. It is strict where a mistake would change what a server does (a request's
// strings, modes and options) and lenient where a peer's sloppiness is harmless: bytes after an ACK's
// block number are ignored, and an ERROR's message may lack its NUL. Block sizes are not checked here:
// only the transfer knows the negotiated blksize.

/** Read request: the client wants `filename` from the server. */
export interface TftpRrq {
  readonly op: typeof TFTP_RRQ;
  /** As sent (UTF-8); the server's jail decides what it may name. */
  readonly filename: string;
  readonly mode: TftpMode;
  /** RFC 2347 options, possibly empty. */
  readonly options: TftpOptions;
}

/** Write request: the client wants to send `filename`. */
export interface TftpWrq {
  readonly op: typeof TFTP_WRQ;
  readonly filename: string;
  readonly mode: TftpMode;
  readonly options: TftpOptions;
}

export interface TftpData {
  readonly op: typeof TFTP_DATA;
  /** 16-bit block number; the first block is 1 and the count wraps to 0 after 65535 (blocks.ts). */
  readonly block: number;
  /** A view of the decoded bytes; shorter than the block size in the last packet of a transfer. */
  readonly data: Uint8Array;
}

export interface TftpAck {
  readonly op: typeof TFTP_ACK;
  /** The block acknowledged; 0 acknowledges a WRQ or an OACK. */
  readonly block: number;
}

export interface TftpErrorPacket {
  readonly op: typeof TFTP_ERROR;
  /** errors.ts names 0-8; any 16-bit value may arrive. */
  readonly code: number;
  readonly message: string;
}

export interface TftpOack {
  readonly op: typeof TFTP_OACK;
  /** The accepted options; never empty. */
  readonly options: TftpOptions;
}

export type TftpRequest = TftpRrq | TftpWrq;
export type TftpPacket = TftpRrq | TftpWrq | TftpData | TftpAck | TftpErrorPacket | TftpOack;

/** Decodes one TFTP packet (a UDP payload). Data is a view of `bytes`, not a copy. */
export function decodeTftp(bytes: Uint8Array): Decoded<TftpPacket> {
  if (bytes.length < 2) return decodeFailure("tftp", `${bytes.length} bytes, an opcode needs 2`);
  const op = readUint16(bytes, 0);
  switch (op) {
    case TFTP_RRQ:
    case TFTP_WRQ:
      return decodeRequest(op, bytes);
    case TFTP_DATA:
      if (bytes.length < TFTP_DATA_HEADER_LENGTH) return tooShort("DATA", bytes, TFTP_DATA_HEADER_LENGTH);
      return decoded({ op, block: readUint16(bytes, 2), data: bytes.subarray(TFTP_DATA_HEADER_LENGTH) });
    case TFTP_ACK:
      if (bytes.length < TFTP_ACK_LENGTH) return tooShort("ACK", bytes, TFTP_ACK_LENGTH);
      return decoded({ op, block: readUint16(bytes, 2) });
    case TFTP_ERROR: {
      if (bytes.length < 4) return tooShort("ERROR", bytes, 4);
      const end = findNul(bytes, 4);
      return decoded({
        op,
        code: readUint16(bytes, 2),
        message: utf8Lossy(bytes, 4, end < 0 ? bytes.length : end),
      });
    }
    case TFTP_OACK: {
      const options = decodeOptionList(bytes, 2);
      if (!options.ok) return decodeFailure("tftp", `OACK: ${options.error.reason}`);
      if (options.value.size === 0) return decodeFailure("tftp", "OACK carries no options");
      return decoded({ op, options: options.value });
    }
    default:
      return decodeFailure("tftp", `unknown opcode ${op}`);
  }
}

function tooShort(what: string, bytes: Uint8Array, needed: number) {
  return decodeFailure("tftp", `${what} of ${bytes.length} bytes, needs ${needed}`);
}

function decodeRequest(op: typeof TFTP_RRQ | typeof TFTP_WRQ, bytes: Uint8Array): Decoded<TftpRequest> {
  const what = opcodeName(op);
  const filenameEnd = findNul(bytes, 2);
  if (filenameEnd < 0) return decodeFailure("tftp", `${what} filename has no NUL terminator`);
  if (filenameEnd === 2) return decodeFailure("tftp", `${what} has an empty filename`);
  const filename = utf8OrUndefined(bytes, 2, filenameEnd);
  if (filename === undefined) return decodeFailure("tftp", `${what} filename is not UTF-8`);
  const modeEnd = findNul(bytes, filenameEnd + 1);
  if (modeEnd < 0) {
    const problem = filenameEnd + 1 === bytes.length ? "has no mode" : "mode has no NUL terminator";
    return decodeFailure("tftp", `${what} ${problem}`);
  }
  const mode = parseMode(latin1(bytes, filenameEnd + 1, modeEnd));
  if (!mode.ok) return decodeFailure("tftp", `${what}: ${mode.error.reason}`);
  const options = decodeOptionList(bytes, modeEnd + 1);
  if (!options.ok) return decodeFailure("tftp", `${what}: ${options.error.reason}`);
  return decoded({ op, filename, mode: mode.value, options: options.value });
}

/**
 * Encodes any packet into a new buffer. Throws RangeError for what cannot go on the wire: block or error
 * numbers beyond 16 bits, more than 65464 data bytes, an empty filename, NUL inside a string, an OACK
 * without options, options that optionListLength refuses.
 */
export function encodeTftp(packet: TftpPacket): Uint8Array<ArrayBuffer> {
  switch (packet.op) {
    case TFTP_RRQ:
    case TFTP_WRQ: {
      const filename = utf8Field("filename", packet.filename);
      if (filename.length === 0) throw new RangeError("filename must not be empty");
      if (packet.mode !== "octet" && packet.mode !== "netascii") {
        throw new RangeError(`mode must be "octet" or "netascii", got ${JSON.stringify(packet.mode)}`);
      }
      const bytes = new Uint8Array(
        2 + filename.length + 1 + packet.mode.length + 1 + optionListLength(packet.options),
      );
      writeUint16(bytes, 0, packet.op);
      bytes.set(filename, 2);
      let offset = 2 + filename.length + 1;
      for (let i = 0; i < packet.mode.length; i++) bytes[offset++] = packet.mode.charCodeAt(i);
      writeOptionList(packet.options, bytes, offset + 1);
      return bytes;
    }
    case TFTP_DATA: {
      const bytes = new Uint8Array(TFTP_DATA_HEADER_LENGTH + packet.data.length);
      writeData(packet.block, packet.data, bytes);
      return bytes;
    }
    case TFTP_ACK: {
      const bytes = new Uint8Array(TFTP_ACK_LENGTH);
      writeAck(packet.block, bytes);
      return bytes;
    }
    case TFTP_ERROR: {
      requireUint("TFTP error code", packet.code, 0xffff);
      const message = utf8Field("error message", packet.message);
      const bytes = new Uint8Array(4 + message.length + 1);
      writeUint16(bytes, 0, TFTP_ERROR);
      writeUint16(bytes, 2, packet.code);
      bytes.set(message, 4);
      return bytes;
    }
    case TFTP_OACK: {
      if (packet.options.size === 0) throw new RangeError("an OACK must carry at least one option");
      const bytes = new Uint8Array(2 + optionListLength(packet.options));
      writeUint16(bytes, 0, TFTP_OACK);
      writeOptionList(packet.options, bytes, 2);
      return bytes;
    }
    default:
      throw new RangeError(`unknown TFTP opcode ${(packet as { op: unknown }).op}`);
  }
}

/**
 * Writes a DATA packet into `target` at `offset` without allocating; returns its length (4 + payload).
 * `payload` may be a view of `target` at offset + 4 (a file read straight into place): it is then
 * already where it belongs and is not copied.
 */
export function writeData(block: number, payload: Uint8Array, target: Uint8Array, offset = 0): number {
  if (payload.length > TFTP_MAX_BLOCK_SIZE) {
    throw new RangeError(`DATA carries at most ${TFTP_MAX_BLOCK_SIZE} bytes, got ${payload.length}`);
  }
  const length = TFTP_DATA_HEADER_LENGTH + payload.length;
  requireRoom("TFTP DATA", target, offset, length);
  writeDataHeader(block, target, offset);
  const start = offset + TFTP_DATA_HEADER_LENGTH;
  if (payload.buffer !== target.buffer || payload.byteOffset !== target.byteOffset + start) {
    target.set(payload, start);
  }
  return length;
}

/** Writes only a DATA header (opcode and block) at `offset`, for payloads read into place; returns 4. */
export function writeDataHeader(block: number, target: Uint8Array, offset = 0): number {
  requireUint("TFTP block number", block, 0xffff);
  requireRoom("TFTP DATA header", target, offset, TFTP_DATA_HEADER_LENGTH);
  writeUint16(target, offset, TFTP_DATA);
  writeUint16(target, offset + 2, block);
  return TFTP_DATA_HEADER_LENGTH;
}

/** Writes an ACK into `target` at `offset` without allocating; returns 4. */
export function writeAck(block: number, target: Uint8Array, offset = 0): number {
  requireUint("TFTP block number", block, 0xffff);
  requireRoom("TFTP ACK", target, offset, TFTP_ACK_LENGTH);
  writeUint16(target, offset, TFTP_ACK);
  writeUint16(target, offset + 2, block);
  return TFTP_ACK_LENGTH;
}

/** An ERROR packet value with the RFC's message for `code` unless one is given. */
export function tftpError(code: number, message: string = tftpErrorMessage(code)): TftpErrorPacket {
  return { op: TFTP_ERROR, code, message };
}
