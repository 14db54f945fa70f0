import type { Decoded } from "../errors.ts";
import { decodeSubOptions, encodeSubOptions, type SubOption } from "./suboptions.ts";

// Option 43, vendor-specific information (RFC 2132 §8.4). Its meaning depends on the vendor class
// (option 60), so the typed getter returns the raw bytes; vendors that encapsulate sub-options (PXE:
// "PXEClient", RFC 4578 §2.1 and the PXE 2.1 spec) use the option format, PAD and END included.

/** PXE sub-option 6, discovery control; value 8 tells a PXE client to boot the file name as given. */
export const PXE_DISCOVERY_CONTROL = 6;

export function decodeEncapsulatedOptions(data: Uint8Array): Decoded<SubOption[]> {
  return decodeSubOptions(data, { layer: "dhcp vendor-specific information", padAndEnd: true });
}

/** Encodes sub-options followed by END, as PXE clients expect. */
export function encodeEncapsulatedOptions(list: readonly SubOption[]): Uint8Array<ArrayBuffer> {
  return encodeSubOptions(list, true);
}
