// The subset of X.690 BER that SNMP uses (RFC 3416 §3, RFC 3417 §8): one-byte tags, definite lengths,
// INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER and SEQUENCE. Encoders produce the minimal forms X.690
// requires; the reader trusts no length: every TLV must lie inside its parent.

export const BER_INTEGER = 0x02;
export const BER_OCTET_STRING = 0x04;
export const BER_NULL = 0x05;
export const BER_OID = 0x06;
export const BER_SEQUENCE = 0x30;

/** A TLV around `content`, with the shortest length encoding (X.690 §8.1.3). */
export function berTlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((sum, part) => sum + part.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const bytes = new Uint8Array(1 + lengthBytes.length + length);
  bytes[0] = tag;
  bytes.set(lengthBytes, 1);
  let at = 1 + lengthBytes.length;
  for (const part of content) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** A non-negative INTEGER in the fewest bytes (X.690 §8.3.2): a 0 byte leads when the top bit is set. */
export function berInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`BER integer must be a non-negative safe integer, got ${value}`);
  }
  const content: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) content.unshift(rest % 256);
  if (content.length === 0 || content[0] & 0x80) content.unshift(0);
  return berTlv(BER_INTEGER, Uint8Array.from(content));
}

/** An OBJECT IDENTIFIER (X.690 §8.19): the first two arcs as 40 * a + b, each arc base 128. */
export function berOid(arcs: readonly number[]): Uint8Array {
  if (arcs.length < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) {
    throw new RangeError(`not an object identifier: ${arcs.join(".")}`);
  }
  const content: number[] = [];
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    if (!Number.isSafeInteger(arc) || arc < 0) throw new RangeError(`bad OID arc ${arc}`);
    const septets = [arc % 128];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
      septets.unshift(0x80 | (rest % 128));
    }
    content.push(...septets);
  }
  return berTlv(BER_OID, Uint8Array.from(content));
}

export interface Tlv {
  readonly tag: number;
  /** Offsets of the content in the buffer read. */
  readonly start: number;
  readonly end: number;
}

/**
 * The TLV at `offset`, which must end by `limit` (its parent's end). Undefined for high tag numbers, the
 * indefinite length, lengths of more than 4 bytes, and anything that overruns `limit`.
 */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | undefined {
  limit = Math.min(limit, bytes.length);
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  return end > limit ? undefined : { tag, start, end };
}

/** The TLV at `offset` if it has `tag`. */
export function readTagged(bytes: Uint8Array, offset: number, limit: number, tag: number): Tlv | undefined {
  const tlv = readTlv(bytes, offset, limit);
  return tlv?.tag === tag ? tlv : undefined;
}

/**
 * An INTEGER's value; undefined past 6 content bytes (beyond what a double holds exactly, and more than
 * any SNMP field needs) or when empty.
 */
export function readInteger(bytes: Uint8Array, tlv: Tlv): number | undefined {
  const length = tlv.end - tlv.start;
  if (tlv.tag !== BER_INTEGER || length < 1 || length > 6) return undefined;
  let value = bytes[tlv.start] & 0x80 ? -1 : 0;
  for (let at = tlv.start; at < tlv.end; at++) value = value * 256 + bytes[at];
  return value;
}
