// Big-endian field access shared by the codecs. Plain indexing instead of a DataView: it needs no
// allocation per packet and works on any subarray without offset arithmetic. Callers check lengths first.

export function readUint16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) |
    bytes[offset + 3]) >>> 0;
}

export function writeUint16(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 8;
  target[offset + 1] = value;
}

export function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = value >>> 16;
  target[offset + 2] = value >>> 8;
  target[offset + 3] = value;
}

/** Encoders reject values that do not fit their field: silently truncating would put a different packet on the wire. */
export function requireUint(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${field} must be an integer from 0 to ${max}, got ${value}`);
  }
}

/** Hot-path writers get a target buffer from the caller; running past its end is a programming error. */
export function requireRoom(what: string, target: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + length > target.length) {
    throw new RangeError(`${what} needs ${length} bytes at offset ${offset}, target holds ${target.length}`);
  }
}

/** Each byte as two lowercase hex digits, joined by `separator`: "01aabb", or "01:aa:bb" with ":". */
export function toHexString(bytes: Uint8Array, separator = ""): string {
  // On every DHCP request's MAC: a table and one string, not an array of 256 possible strings per call.
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += (i === 0 ? "" : separator) + HEX_BYTES[bytes[i]];
  return text;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
