import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import type { OptionCodec } from "./values.ts";

// Option 77, user class (RFC 3004): one or more classes, each a length byte and that many bytes. Some
// clients send one plain string instead, iPXE's "iPXE" among them (and RFC 3004 predates none of them);
// both read as a list of classes here, and `format` tells which was seen.

export interface UserClass {
  readonly classes: string[];
  /** "rfc3004" when the bytes parse as length-prefixed classes exactly, "plain" when read as one string. */
  readonly format: "rfc3004" | "plain";
}

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** The RFC 3004 reading, or undefined when the lengths do not tile the data exactly (or one is 0). */
function lengthPrefixed(data: Uint8Array): string[] | undefined {
  const classes: string[] = [];
  let offset = 0;
  while (offset < data.length) {
    const length = data[offset];
    if (length === 0 || offset + 1 + length > data.length) return undefined;
    classes.push(utf8.decode(data.subarray(offset + 1, offset + 1 + length)));
    offset += 1 + length;
  }
  return classes;
}

export function decodeUserClass(data: Uint8Array): Decoded<UserClass> {
  if (data.length === 0) return decodeFailure("dhcp user class", "length 0, at least one class expected");
  const classes = lengthPrefixed(data);
  if (classes !== undefined) return decoded({ classes, format: "rfc3004" });
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return decoded({ classes: [utf8.decode(data.subarray(0, end))], format: "plain" });
}

/** RFC 3004 encoding; with format "plain", the single class as bare bytes (what iPXE sends). */
export function encodeUserClass(value: UserClass): Uint8Array<ArrayBuffer> {
  const encoded = value.classes.map((item) => utf8Encoder.encode(item));
  if (value.format === "plain") {
    if (encoded.length !== 1) throw new RangeError("a plain user class holds exactly one class");
    return encoded[0];
  }
  if (encoded.length === 0) throw new RangeError("a user class option needs at least one class");
  const out: number[] = [];
  for (const item of encoded) {
    if (item.length === 0 || item.length > 255) {
      throw new RangeError(`each user class takes 1 to 255 bytes, got ${item.length}`);
    }
    out.push(item.length, ...item);
  }
  return Uint8Array.from(out);
}

export const USER_CLASS: OptionCodec<UserClass> = { decode: decodeUserClass, encode: encodeUserClass };
