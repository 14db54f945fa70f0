import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { requireUint } from "../bytes.ts";
import { decodeEncapsulatedOptions, encodeEncapsulatedOptions, PXE_DISCOVERY_CONTROL } from "./vendor.ts";
import type { SubOption } from "./suboptions.ts";

// The PXE vendor options (PXE 2.1 spec §2.2.5, table 2-1): option 43 sub-options a PXE server sends a
// client whose option 60 starts "PXEClient". Which of them an answer carries decides what the client does
// next. EDK2's UefiPxeBcDxe (PxeBcParseDhcp4Packet) sorts offers by them: option 60 "PXEClient" with no
// discovery sub-option (6–10) is a BINL offer, whose boot file the client must ask for again at the
// server's port 4011; with one it is a PXE 1.0 offer, and discovery control bit 3 plus a boot file in the
// same answer means "boot this file now" — no menu, no prompt, no boot-server discovery.

/** Sub-option 6 bit 3: download the boot file named in this answer (skip prompt, menu and discovery). */
export const PXE_DISCOVERY_USE_BOOT_FILE = 0x08;
/** Sub-option 71, PXE_BOOT_ITEM: the boot server type and layer a discovery request asks for. */
export const PXE_BOOT_ITEM = 71;

export interface PxeBootItem {
  /** Boot server type (0 is the PXE bootstrap server). */
  readonly type: number;
  /** Layer; bit 15 asks for credentials (BIS), the rest is the layer number. */
  readonly layer: number;
}

export interface PxeVendorOptions {
  /** Sub-option 6 bits (PXE_DISCOVERY_USE_BOOT_FILE, …). */
  readonly discoveryControl?: number;
  /** Sub-option 71, answered back to a discovery request for the item it asked for. */
  readonly bootItem?: PxeBootItem;
}

/** Option 43's value for a PXE client: the sub-options given, in code order, then END. */
export function encodePxeVendorOptions(options: PxeVendorOptions): Uint8Array<ArrayBuffer> {
  const list: SubOption[] = [];
  if (options.discoveryControl !== undefined) {
    requireUint("PXE discovery control", options.discoveryControl, 0xff);
    list.push({ code: PXE_DISCOVERY_CONTROL, data: Uint8Array.of(options.discoveryControl) });
  }
  if (options.bootItem) {
    const { type, layer } = options.bootItem;
    requireUint("PXE boot item type", type, 0xffff);
    requireUint("PXE boot item layer", layer, 0xffff);
    list.push({ code: PXE_BOOT_ITEM, data: Uint8Array.of(type >> 8, type & 0xff, layer >> 8, layer & 0xff) });
  }
  return encodeEncapsulatedOptions(list);
}

/**
 * The boot item a client's option 43 asks for (a discovery request to port 4011), or undefined when it
 * names none (a BINL request, or no option 43 at all).
 */
export function decodePxeBootItem(vendorOptions: Uint8Array | undefined): Decoded<PxeBootItem | undefined> {
  if (!vendorOptions) return decoded(undefined);
  const list = decodeEncapsulatedOptions(vendorOptions);
  if (!list.ok) return list;
  const item = list.value.find((option) => option.code === PXE_BOOT_ITEM);
  if (!item) return decoded(undefined);
  if (item.data.length !== 4) {
    return decodeFailure("pxe boot item", `length ${item.data.length}, expected 4 (type and layer)`);
  }
  return decoded({ type: (item.data[0] << 8) | item.data[1], layer: (item.data[2] << 8) | item.data[3] });
}
