// The few ASN.1 DER encodings an X.509 certificate needs (ITU-T X.690): definite lengths, minimal
// integers. Encoders only: certificates are parsed by the TLS library, not here.

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else if (length < 0x100) header = [tag, 0x81, length];
  else if (length < 0x10000) header = [tag, 0x82, length >> 8, length & 0xff];
  else if (length < 0x1000000) header = [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  else throw new RangeError("DER content over 16 MiB");
  const bytes = new Uint8Array(header.length + length);
  bytes.set(header);
  bytes.set(content, header.length);
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, concat(...items));
export const set = (...items: Uint8Array[]) => tlv(0x31, concat(...items));
export const explicit = (tagNumber: number, item: Uint8Array) => tlv(0xa0 | tagNumber, item);
export const octetString = (bytes: Uint8Array) => tlv(0x04, bytes);
export const utf8String = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
export const booleanTrue = () => tlv(0x01, new Uint8Array([0xff]));

/** A non-negative INTEGER, minimal: leading zero bytes dropped, one added when the top bit is set. */
export function unsignedInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError("only non-negative integers");
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  } while (rest > 0n);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, new Uint8Array(bytes));
}

/** BIT STRING with `unusedBits` padding bits in the last byte. */
export const bitString = (bytes: Uint8Array, unusedBits = 0) =>
  tlv(0x03, concat(new Uint8Array([unusedBits]), bytes));

export function objectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const body = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let rest = arc >>> 7; rest > 0; rest >>>= 7) chunk.unshift((rest & 0x7f) | 0x80);
    body.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(body));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5), always in seconds and Z. */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:T]/g, "");
  const year = date.getUTCFullYear();
  return year < 2050
    ? tlv(0x17, new TextEncoder().encode(iso.slice(2)))
    : tlv(0x18, new TextEncoder().encode(iso));
}
