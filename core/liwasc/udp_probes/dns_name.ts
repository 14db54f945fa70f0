import { printable } from "./text.ts";

// Domain names on the wire (RFC 1035 §3.1, §4.1.4), as used by DNS, mDNS and NetBIOS name service:
// length-prefixed labels ending in a zero byte, where a suffix may be replaced by a pointer to an earlier
// copy. Pointers are where hostile replies attack parsers (loops, jumps past the end), so every pointer
// must land strictly before the previous one, so the walk ends whatever the bytes say, and a name may
// take only a few pointers, so a reply full of names costs little more than its length to read.

const MAX_NAME_WIRE_LENGTH = 255;
/** Real compressors chain one or two pointers; pointer-to-pointer ladders only come from attackers. */
const MAX_POINTERS = 16;
const MAX_LABEL_LENGTH = 63;

/** Wire form of a name given as labels, e.g. ["version", "bind"]. Labels must be ASCII, 1 to 63 bytes. */
export function encodeDnsName(labels: readonly string[]): Uint8Array {
  const bytes: number[] = [];
  for (const label of labels) {
    if (label.length < 1 || label.length > MAX_LABEL_LENGTH || !/^[\x21-\x7e]+$/.test(label)) {
      throw new RangeError(`DNS label ${JSON.stringify(label)} must be 1 to 63 printable ASCII characters`);
    }
    bytes.push(label.length, ...Array.from(label, (char) => char.charCodeAt(0)));
  }
  bytes.push(0);
  if (bytes.length > MAX_NAME_WIRE_LENGTH) {
    throw new RangeError(`DNS name of ${bytes.length} bytes exceeds 255`);
  }
  return Uint8Array.from(bytes);
}

export interface NameRead {
  /** Labels joined by ".", each reduced to printable ASCII; "" for the root. */
  readonly name: string;
  /** Offset just after the name where it starts, i.e. after its first pointer if it has one. */
  readonly end: number;
}

/** Reads the name at `offset` of `message`, following compression pointers; undefined when malformed. */
export function readDnsName(message: Uint8Array, offset: number): NameRead | undefined {
  const labels: string[] = [];
  let at = offset;
  let end = -1;
  let pointerLimit = offset;
  let pointers = 0;
  let wireLength = 1;
  for (;;) {
    if (at >= message.length) return undefined;
    const length = message[at];
    if (length === 0) break;
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (at + 1 >= message.length) return undefined;
      const target = ((length & 0x3f) << 8) | message[at + 1];
      if (target >= pointerLimit || ++pointers > MAX_POINTERS) return undefined;
      if (end < 0) end = at + 2;
      pointerLimit = target;
      at = target;
      continue;
    }
    // 0x40 and 0x80 are the extended label types of RFC 6891 §5, retired; nothing sends them.
    if (kind !== 0) return undefined;
    wireLength += length + 1;
    if (wireLength > MAX_NAME_WIRE_LENGTH || at + 1 + length > message.length) return undefined;
    labels.push(printable(String.fromCharCode(...message.subarray(at + 1, at + 1 + length))));
    at += 1 + length;
  }
  return { name: labels.join("."), end: end < 0 ? at + 1 : end };
}
