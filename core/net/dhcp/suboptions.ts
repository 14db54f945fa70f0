import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { requireUint } from "../bytes.ts";
import { DHCP_OPTION_END, DHCP_OPTION_PAD } from "./codes.ts";

// Sub-options: the code-length-value lists inside option 43 (vendor-specific, RFC 2132 §8.4) and option
// 82 (relay agent information, RFC 3046 §2.0). Kept as a list, not a map: order and repeats are the
// sender's business, and a relay's sub-options must go back exactly as they came.

export interface SubOption {
  readonly code: number;
  /** View of the sub-option's data. */
  readonly data: Uint8Array;
}

export interface SubOptionFormat {
  /** Layer for error messages, e.g. "dhcp option 82". */
  readonly layer: string;
  /**
   * Whether code 0 is padding and code 255 ends the list, as in encapsulated vendor options (PXE uses
   * both). Relay agent sub-options have no such codes.
   */
  readonly padAndEnd: boolean;
}

export function decodeSubOptions(data: Uint8Array, format: SubOptionFormat): Decoded<SubOption[]> {
  const list: SubOption[] = [];
  let offset = 0;
  while (offset < data.length) {
    const code = data[offset];
    if (format.padAndEnd && code === DHCP_OPTION_END) break;
    if (format.padAndEnd && code === DHCP_OPTION_PAD) {
      offset += 1;
      continue;
    }
    if (offset + 1 >= data.length) {
      return decodeFailure(format.layer, `sub-option ${code} at offset ${offset} has no length byte`);
    }
    const length = data[offset + 1];
    const follow = data.length - offset - 2;
    if (length > follow) {
      return decodeFailure(
        format.layer,
        `sub-option ${code} at offset ${offset} has length ${length}, only ${follow} bytes follow`,
      );
    }
    list.push({ code, data: data.subarray(offset + 2, offset + 2 + length) });
    offset += 2 + length;
  }
  return decoded(list);
}

/** Writes the list in order, and END (255) with `end`. Throws RangeError for what does not fit. */
export function encodeSubOptions(list: readonly SubOption[], end = false): Uint8Array<ArrayBuffer> {
  let length = end ? 1 : 0;
  for (const { code, data } of list) {
    requireUint("DHCP sub-option code", code, 0xff);
    if (data.length > 255) {
      throw new RangeError(`sub-option ${code} has ${data.length} bytes, at most 255 fit`);
    }
    length += 2 + data.length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const { code, data } of list) {
    bytes[offset] = code;
    bytes[offset + 1] = data.length;
    bytes.set(data, offset + 2);
    offset += 2 + data.length;
  }
  if (end) bytes[offset] = DHCP_OPTION_END;
  return bytes;
}
