// The NUL-terminated strings of TFTP packets (RFC 1350 §5). Filenames are taken as UTF-8, which is what
// clients send for non-ASCII names today; option names and values are ASCII by RFC 2347 and are kept one
// character per byte, so no byte value can make an option fail to decode; error messages are UTF-8 for
// people to read, with U+FFFD for bytes that are not.

const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Index of the NUL ending the string that starts at `start`, or -1 when the bytes end first. */
export function findNul(bytes: Uint8Array, start: number): number {
  return bytes.indexOf(0, start);
}

/** Bytes start..end as UTF-8, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return utf8Strict.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** Bytes start..end as UTF-8, replacing what is not with U+FFFD. */
export function utf8Lossy(bytes: Uint8Array, start: number, end: number): string {
  return utf8Lenient.decode(bytes.subarray(start, end));
}

/** One character per byte (ISO 8859-1 without windows-1252's remapping): lossless and cannot fail. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let at = start; at < end; at += 4096) {
    text += String.fromCharCode(...bytes.subarray(at, Math.min(end, at + 4096)));
  }
  return text;
}

/** Lower-cases A-Z only: RFC 2347's option names are case-insensitive ASCII, other bytes are kept. */
export function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) : text;
}

/** UTF-8 bytes of a string bound for a NUL-terminated field; a NUL inside it would end the field early. */
export function utf8Field(field: string, text: string): Uint8Array {
  if (text.includes("\0")) throw new RangeError(`${field} must not contain NUL`);
  if (!text.isWellFormed()) throw new RangeError(`${field} has a lone surrogate, which UTF-8 cannot carry`);
  return utf8Encoder.encode(text);
}

/** Throws unless every character of `text` is one byte (U+0000-U+00FF) and none is NUL. */
export function requireLatin1Field(field: string, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) throw new RangeError(`${field} must not contain NUL`);
    if (code > 0xff) {
      throw new RangeError(
        `${field} must be one byte per character, got U+${code.toString(16).padStart(4, "0")}`,
      );
    }
  }
}

/** Writes a string checked by requireLatin1Field and its terminating NUL; returns the offset after the NUL. */
export function writeLatin1(text: string, target: Uint8Array, offset: number): number {
  for (let i = 0; i < text.length; i++) target[offset++] = text.charCodeAt(i);
  target[offset++] = 0;
  return offset;
}
