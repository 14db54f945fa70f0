import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import type { OptionCodec } from "./values.ts";

// Option 119, domain search list (RFC 3397): domain names in RFC 1035 wire format, one after another,
// with message compression whose pointers count from the start of the option's data (after RFC 3396
// concatenation, so the list may span several instances). Names are given without the trailing dot.

const LAYER = "dhcp domain search";
/** RFC 1035 §2.3.4: a name takes at most 255 bytes on the wire. */
const MAX_NAME_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;
const MAX_POINTER = 0x3fff;

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

function labelText(label: Uint8Array): string {
  // Domain labels are ASCII in practice; keep UTF-8 (IDN written raw) readable and never throw.
  for (const byte of label) if (byte >= 0x80) return utf8.decode(label);
  return String.fromCharCode(...label);
}

/**
 * Reads one name starting at `start`. Returns the name and where the next name starts, or a reason.
 * A compression pointer must point before every byte read so far for this name: pointers then only ever
 * go backwards, so a crafted list cannot loop.
 */
function readName(data: Uint8Array, start: number): { name: string; next: number } | string {
  const labels: string[] = [];
  let offset = start;
  let lowest = start;
  let next = -1;
  let wireLength = 1;
  for (;;) {
    if (offset >= data.length) return `name at offset ${start} runs past the end of the list`;
    const length = data[offset];
    if (length === 0) {
      if (next < 0) next = offset + 1;
      return { name: labels.join("."), next };
    }
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (offset + 1 >= data.length) return `compression pointer at offset ${offset} is cut off`;
      const target = ((length & 0x3f) << 8) | data[offset + 1];
      if (target >= lowest) {
        return `compression pointer at offset ${offset} to ${target} does not point backwards (loop)`;
      }
      if (next < 0) next = offset + 2;
      offset = target;
      lowest = target;
      continue;
    }
    if (kind !== 0) {
      return `label length byte 0x${length.toString(16)} at offset ${offset} uses reserved bits`;
    }
    if (offset + 1 + length > data.length) {
      return `label at offset ${offset} has length ${length}, only ${data.length - offset - 1} bytes follow`;
    }
    wireLength += 1 + length;
    if (wireLength > MAX_NAME_LENGTH) {
      return `name at offset ${start} is longer than ${MAX_NAME_LENGTH} bytes`;
    }
    labels.push(labelText(data.subarray(offset + 1, offset + 1 + length)));
    offset += 1 + length;
  }
}

export function decodeDomainSearch(data: Uint8Array): Decoded<string[]> {
  const names: string[] = [];
  let offset = 0;
  while (offset < data.length) {
    const result = readName(data, offset);
    if (typeof result === "string") return decodeFailure(LAYER, result);
    names.push(result.name);
    offset = result.next;
  }
  return decoded(names);
}

/** Splits "lab.ctpf.test" (a trailing dot is allowed) into labels, checking RFC 1035 limits. */
function labelsOf(name: string): Uint8Array[] {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  if (trimmed === "") return [];
  const labels = trimmed.split(".").map((label) => utf8Encoder.encode(label));
  let wireLength = 1;
  for (const label of labels) {
    if (label.length === 0) throw new RangeError(`domain name ${JSON.stringify(name)} has an empty label`);
    if (label.length > MAX_LABEL_LENGTH) {
      throw new RangeError(`domain name ${JSON.stringify(name)} has a label longer than 63 bytes`);
    }
    wireLength += 1 + label.length;
  }
  if (wireLength > MAX_NAME_LENGTH) {
    throw new RangeError(`domain name ${JSON.stringify(name)} takes ${wireLength} bytes, at most 255 fit`);
  }
  return labels;
}

/**
 * Encodes names with compression: a name whose ending was written before ends in a pointer to it (RFC
 * 3397 §2 encourages this). The result may exceed 255 bytes; the message encoder splits it (RFC 3396).
 */
export function encodeDomainSearch(names: readonly string[]): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  const written = new Map<string, number>();
  for (const name of names) {
    const labels = labelsOf(name);
    let index = 0;
    for (; index < labels.length; index++) {
      // Exact bytes: pointing "Lab.test" at "lab.test" would change what the client sees.
      const suffix = labels.slice(index).map((label) => String.fromCharCode(...label)).join(".");
      const at = written.get(suffix);
      if (at !== undefined) {
        out.push(0xc0 | (at >>> 8), at & 0xff);
        break;
      }
      if (out.length <= MAX_POINTER) written.set(suffix, out.length);
      out.push(labels[index].length, ...labels[index]);
    }
    if (index === labels.length) out.push(0);
  }
  return Uint8Array.from(out);
}

export const DOMAIN_SEARCH: OptionCodec<string[]> = {
  decode: decodeDomainSearch,
  encode: encodeDomainSearch,
};
