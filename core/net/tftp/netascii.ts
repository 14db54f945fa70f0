import { requireRoom } from "../bytes.ts";

// Netascii (RFC 1350 §1 and the Telnet NVT of RFC 764): line ends travel as CR LF and a carriage return
// alone as CR NUL. Local files use LF line ends, so the sender turns LF into CR LF and CR into CR NUL,
// and the receiver reverses that. Blocks cut the converted stream anywhere, so a CR may end one block
// and its LF or NUL start the next: both directions keep that one byte of state between calls.
// Conversion never fails: a CR followed by anything else, which netascii does not allow, is kept as is.

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** Converted length of local bytes: what tsize announces for a netascii read. */
export function netasciiLength(bytes: Uint8Array): number {
  let length = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === LF || bytes[i] === CR) length++;
  return length;
}

/** Converts a whole local file to netascii: LF to CR LF, CR to CR NUL. */
export function encodeNetascii(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(netasciiLength(bytes));
  const encoder = new NetasciiEncoder();
  encoder.encodeInto(bytes, out);
  return out;
}

/** Converts a whole netascii stream back to local bytes: CR LF to LF, CR NUL to CR. */
export function decodeNetascii(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const decoder = new NetasciiDecoder();
  const body = decoder.decode(bytes);
  const tail = decoder.finish();
  if (tail.length === 0) return body;
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}

/**
 * Fills DATA blocks from a local file for a netascii read. When only one byte of a CR LF or CR NUL pair
 * fits the block, the second waits for the next call; it is written before anything else.
 */
export class NetasciiEncoder {
  /** The second byte of a pair that did not fit, or -1. */
  #pending = -1;

  /** True when a byte is waiting for the next block: the stream is not finished even if the file is. */
  get pending(): boolean {
    return this.#pending >= 0;
  }

  /**
   * Converts from `source` into `target` until one of them runs out. Returns how many source bytes were
   * consumed and how many bytes were written (fewer than target.length only when the source ran out).
   */
  encodeInto(source: Uint8Array, target: Uint8Array): { read: number; written: number } {
    let written = 0;
    if (this.#pending >= 0 && target.length > 0) {
      target[written++] = this.#pending;
      this.#pending = -1;
    }
    let read = 0;
    while (read < source.length && written < target.length) {
      const byte = source[read++];
      if (byte !== LF && byte !== CR) {
        target[written++] = byte;
        continue;
      }
      target[written++] = CR;
      const second = byte === LF ? LF : NUL;
      if (written < target.length) target[written++] = second;
      else this.#pending = second;
    }
    return { read, written };
  }
}

/**
 * Converts netascii DATA payloads back to local bytes, block by block. A CR at the end of a block is held
 * until the next block shows what follows it; finish() releases one left at the end of the transfer.
 */
export class NetasciiDecoder {
  #pendingCr = false;

  /** True when a CR from the last block is held back. */
  get pending(): boolean {
    return this.#pendingCr;
  }

  /** Largest output of decodeInto for a chunk of `length` bytes in the current state. */
  maxOutputLength(length: number): number {
    return length + (this.#pendingCr ? 1 : 0);
  }

  /** Converts one chunk into a new array. */
  decode(chunk: Uint8Array): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.maxOutputLength(chunk.length));
    return out.subarray(0, this.decodeInto(chunk, out));
  }

  /**
   * Converts one chunk into `target` at `offset` without allocating; returns the bytes written. Throws
   * RangeError unless maxOutputLength(chunk.length) bytes fit.
   */
  decodeInto(chunk: Uint8Array, target: Uint8Array, offset = 0): number {
    requireRoom("netascii output", target, offset, this.maxOutputLength(chunk.length));
    let at = offset;
    let i = 0;
    if (this.#pendingCr && chunk.length > 0) {
      this.#pendingCr = false;
      i = 1;
      if (chunk[0] === LF) target[at++] = LF;
      else if (chunk[0] === NUL) target[at++] = CR;
      else {
        target[at++] = CR;
        i = 0;
      }
    }
    for (; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== CR) {
        target[at++] = byte;
        continue;
      }
      if (i + 1 === chunk.length) {
        this.#pendingCr = true;
        break;
      }
      const next = chunk[i + 1];
      if (next === LF) {
        target[at++] = LF;
        i++;
      } else if (next === NUL) {
        target[at++] = CR;
        i++;
      } else {
        target[at++] = CR;
      }
    }
    return at - offset;
  }

  /** Ends the stream: a CR still held (the last byte of the transfer) comes out as CR. */
  finish(): Uint8Array<ArrayBuffer> {
    if (!this.#pendingCr) return new Uint8Array(0);
    this.#pendingCr = false;
    return Uint8Array.of(CR);
  }
}
