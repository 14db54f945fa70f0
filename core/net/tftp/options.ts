import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import {
  TFTP_DEFAULT_BLOCK_SIZE,
  TFTP_MAX_BLOCK_SIZE,
  TFTP_MIN_BLOCK_SIZE,
  TFTP_RRQ,
  TFTP_WRQ,
} from "./codes.ts";
import { asciiLower, findNul, latin1, requireLatin1Field, writeLatin1 } from "./strings.ts";

// Option negotiation (RFC 2347): a request may end in NUL-terminated name/value pairs, and the server
// answers those it accepts in an OACK. Names are case-insensitive and may appear once; the order carries
// no meaning. This file decodes and encodes the pairs and holds the rules of the options this codec
// knows: blksize (RFC 2348), timeout and tsize (RFC 2349) and windowsize (RFC 7440).

/**
 * Options by lower-cased name, in the order they came, with values as sent. Unknown options are kept:
 * negotiate() leaves them out of the OACK, as RFC 2347 asks, but a caller may still want to see them.
 */
export type TftpOptions = ReadonlyMap<string, string>;

export const OPTION_BLKSIZE = "blksize";
export const OPTION_TIMEOUT = "timeout";
export const OPTION_TSIZE = "tsize";
export const OPTION_WINDOWSIZE = "windowsize";

/** RFC 2349: the timeout option is whole seconds from 1 to 255. */
export const TFTP_MIN_TIMEOUT = 1;
export const TFTP_MAX_TIMEOUT = 255;
/** RFC 7440: the windowsize option is 1 to 65535 blocks. */
export const TFTP_MIN_WINDOW_SIZE = 1;
export const TFTP_MAX_WINDOW_SIZE = 65535;

/**
 * Decodes the name/value pairs from `start` to the end of `bytes`. Fails on a pair without its NULs, an
 * empty name and a name given twice (RFC 2347: "an option may only be specified once"). Bytes that are
 * all NUL where a name would start are taken as padding and ignored.
 */
export function decodeOptionList(bytes: Uint8Array, start: number): Decoded<Map<string, string>> {
  const options = new Map<string, string>();
  let offset = start;
  while (offset < bytes.length) {
    if (bytes[offset] === 0) {
      if (allZero(bytes, offset)) break;
      return decodeFailure("tftp", `empty option name at byte ${offset}`);
    }
    const nameEnd = findNul(bytes, offset);
    if (nameEnd < 0) {
      return decodeFailure("tftp", `option name at byte ${offset} runs to the end without a NUL`);
    }
    const name = asciiLower(latin1(bytes, offset, nameEnd));
    const valueEnd = findNul(bytes, nameEnd + 1);
    if (valueEnd < 0) {
      const what = nameEnd + 1 === bytes.length ? "has no value" : "has a value without its NUL";
      return decodeFailure("tftp", `option ${quote(name)} at byte ${offset} ${what}`);
    }
    if (options.has(name)) return decodeFailure("tftp", `option ${quote(name)} appears twice`);
    options.set(name, latin1(bytes, nameEnd + 1, valueEnd));
    offset = valueEnd + 1;
  }
  return decoded(options);
}

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A name or value for error messages: quoted, escaped, and cut short. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/**
 * Bytes the pairs take on the wire. Throws RangeError for what could not decode back to the same map: an
 * empty name, a NUL or a character above U+00FF, or two names that differ only in case.
 */
export function optionListLength(options: TftpOptions): number {
  let length = 0;
  const seen = new Set<string>();
  for (const [name, value] of options) {
    if (name.length === 0) throw new RangeError("option names must not be empty");
    requireLatin1Field(`option name ${quote(name)}`, name);
    requireLatin1Field(`value of option ${quote(name)}`, value);
    const key = asciiLower(name);
    if (seen.has(key)) {
      throw new RangeError(`option ${quote(name)} is given twice (names are case-insensitive)`);
    }
    seen.add(key);
    length += name.length + value.length + 2;
  }
  return length;
}

/** Writes pairs checked by optionListLength at `offset`; returns the offset after them. */
export function writeOptionList(options: TftpOptions, target: Uint8Array, offset: number): number {
  for (const [name, value] of options) {
    offset = writeLatin1(name, target, offset);
    offset = writeLatin1(value, target, offset);
  }
  return offset;
}

/**
 * An option value as a whole number: ASCII digits only (no sign, no spaces, leading zeros allowed).
 * Undefined when the value is not a number; Infinity above Number.MAX_SAFE_INTEGER, where a double no
 * longer holds every integer, so range checks still see such a value as too large.
 */
export function parseOptionNumber(value: string): number | undefined {
  if (!/^[0-9]+$/.test(value)) return undefined;
  const digits = value.replace(/^0+(?=.)/, "");
  const number = digits.length > 16 ? Infinity : Number(digits);
  return number > Number.MAX_SAFE_INTEGER ? Infinity : number;
}

/** What a transfer runs with once negotiation is over. */
export interface Negotiation {
  /**
   * The options to answer in an OACK, in the client's order. Empty means no OACK: the transfer starts as
   * in RFC 1350, with DATA 1 for a read and ACK 0 for a write.
   */
  readonly oack: Map<string, string>;
  /** Data bytes per block: the accepted blksize, else 512. */
  readonly blockSize: number;
  /** Blocks sent before an ACK is due: the accepted windowsize, else 1 (lockstep). */
  readonly windowSize: number;
  /** Retransmission timeout in seconds when the client's timeout option was accepted. */
  readonly timeout: number | undefined;
  /** tsize: for a read, the size the server announced; for a write, the size the client announced. */
  readonly transferSize: number | undefined;
}

export interface NegotiationLimits {
  /** Largest blksize to grant, 8 to 65464 (the default); larger requests are lowered to it (RFC 2348). */
  readonly maxBlockSize?: number;
  /**
   * Largest windowsize to grant, 1 to 65535; larger requests are lowered to it. The default, 1, means the
   * server sends lockstep only and leaves windowsize out of the OACK.
   */
  readonly maxWindowSize?: number;
  /**
   * For a read: the size tsize answers with (in netascii mode, the size after conversion). Undefined
   * leaves tsize out of the OACK.
   */
  readonly fileSize?: number;
}

/** A request as negotiate() and acceptOack() need it: an RRQ or WRQ. */
export interface TftpRequestOptions {
  readonly op: typeof TFTP_RRQ | typeof TFTP_WRQ;
  readonly options: TftpOptions;
}

/**
 * The server's side of RFC 2347: which requested options to accept and with which values.
 * - blksize: values below 8 or not numbers are left out; larger ones are lowered to maxBlockSize.
 * - timeout: 1 to 255 accepted as is (RFC 2349 requires the same value back), anything else left out.
 * - tsize: a read is answered with fileSize when it is known; a write's size is echoed.
 * - windowsize: 1 and up, lowered to maxWindowSize; left out when the server allows only 1.
 * Unknown options are left out. Throws RangeError for limits outside the RFC ranges.
 */
export function negotiate(request: TftpRequestOptions, limits: NegotiationLimits = {}): Negotiation {
  const maxBlockSize = limits.maxBlockSize ?? TFTP_MAX_BLOCK_SIZE;
  const maxWindowSize = limits.maxWindowSize ?? 1;
  requireRange("maxBlockSize", maxBlockSize, TFTP_MIN_BLOCK_SIZE, TFTP_MAX_BLOCK_SIZE);
  requireRange("maxWindowSize", maxWindowSize, TFTP_MIN_WINDOW_SIZE, TFTP_MAX_WINDOW_SIZE);
  if (limits.fileSize !== undefined) requireRange("fileSize", limits.fileSize, 0, Number.MAX_SAFE_INTEGER);
  const oack = new Map<string, string>();
  let blockSize = TFTP_DEFAULT_BLOCK_SIZE;
  let windowSize = 1;
  let timeout: number | undefined;
  let transferSize: number | undefined;
  for (const [name, value] of request.options) {
    const number = parseOptionNumber(value);
    if (number === undefined) continue;
    switch (asciiLower(name)) {
      case OPTION_BLKSIZE:
        if (number < TFTP_MIN_BLOCK_SIZE) break;
        blockSize = Math.min(number, maxBlockSize);
        oack.set(OPTION_BLKSIZE, String(blockSize));
        break;
      case OPTION_TIMEOUT:
        if (number < TFTP_MIN_TIMEOUT || number > TFTP_MAX_TIMEOUT) break;
        timeout = number;
        oack.set(OPTION_TIMEOUT, String(timeout));
        break;
      case OPTION_TSIZE:
        if (request.op === TFTP_RRQ) {
          if (limits.fileSize === undefined) break;
          transferSize = limits.fileSize;
        } else {
          if (!Number.isSafeInteger(number)) break;
          transferSize = number;
        }
        oack.set(OPTION_TSIZE, String(transferSize));
        break;
      case OPTION_WINDOWSIZE:
        if (number < TFTP_MIN_WINDOW_SIZE || maxWindowSize === 1) break;
        windowSize = Math.min(number, maxWindowSize);
        oack.set(OPTION_WINDOWSIZE, String(windowSize));
        break;
    }
  }
  return { oack, blockSize, windowSize, timeout, transferSize };
}

function requireRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/**
 * The client's side of RFC 2347: checks a server's OACK against what was requested and gives the
 * settings to run with. Fails (answer with ERROR 8) for an option the client did not request, a blksize
 * outside 8..65464 or above the request, a timeout other than the one requested, a windowsize outside
 * 1..the request, and a tsize that is not a number. Options this codec does not know are passed over.
 */
export function acceptOack(request: TftpRequestOptions, oack: TftpOptions): Decoded<Negotiation> {
  const accepted = new Map<string, string>();
  let blockSize = TFTP_DEFAULT_BLOCK_SIZE;
  let windowSize = 1;
  let timeout: number | undefined;
  let transferSize: number | undefined;
  for (const [rawName, value] of oack) {
    const name = asciiLower(rawName);
    const requested = requestedValue(request.options, name);
    if (requested === undefined) {
      return decodeFailure("tftp", `OACK carries unrequested option ${quote(name)}`);
    }
    accepted.set(name, value);
    const number = parseOptionNumber(value);
    const asked = parseOptionNumber(requested);
    const bad = (why: string) => decodeFailure("tftp", `OACK ${name} ${quote(value)} ${why}`);
    switch (name) {
      case OPTION_BLKSIZE:
        if (number === undefined || number < TFTP_MIN_BLOCK_SIZE || number > TFTP_MAX_BLOCK_SIZE) {
          return bad(`is not a block size from ${TFTP_MIN_BLOCK_SIZE} to ${TFTP_MAX_BLOCK_SIZE}`);
        }
        if (asked !== undefined && number > asked) return bad(`exceeds the ${requested} requested`);
        blockSize = number;
        break;
      case OPTION_TIMEOUT:
        if (number === undefined || number !== asked) return bad(`differs from the ${requested} requested`);
        timeout = number;
        break;
      case OPTION_TSIZE:
        if (number === undefined || !Number.isSafeInteger(number)) return bad("is not a size");
        transferSize = number;
        break;
      case OPTION_WINDOWSIZE:
        if (
          number === undefined || number < TFTP_MIN_WINDOW_SIZE || (asked !== undefined && number > asked)
        ) {
          return bad(`is not a window size from 1 to the ${requested} requested`);
        }
        windowSize = number;
        break;
    }
  }
  return decoded({ oack: accepted, blockSize, windowSize, timeout, transferSize });
}

function requestedValue(options: TftpOptions, name: string): string | undefined {
  const exact = options.get(name);
  if (exact !== undefined) return exact;
  for (const [key, value] of options) if (asciiLower(key) === name) return value;
  return undefined;
}
