import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { requireUint, toHexString } from "../bytes.ts";
import type { OptionCodec } from "./values.ts";

// The PXE client options of RFC 4578: 93 client system architecture (a list of 16-bit types; the IANA
// "Processor Architecture Types" registry), 94 client network interface identifier (UNDI version) and 97
// client machine identifier (type 0 and a 16-byte GUID). Network boot servers pick boot files by them.

/** Option 93 values (IANA registry; RFC 4578 §2.1 and later assignments). */
export const ARCH_X86_BIOS = 0;
export const ARCH_X86_UEFI = 6;
export const ARCH_X64_UEFI = 7;
/** Registered as "EFI x86-64"; some firmware sends it instead of 7. */
export const ARCH_X64_UEFI_ALT = 9;
export const ARCH_ARM32_UEFI = 10;
export const ARCH_ARM64_UEFI = 11;
export const ARCH_X86_UEFI_HTTP = 15;
export const ARCH_X64_UEFI_HTTP = 16;
export const ARCH_ARM32_UEFI_HTTP = 18;
export const ARCH_ARM64_UEFI_HTTP = 19;
export const ARCH_ARM32_UBOOT = 21;
export const ARCH_ARM64_UBOOT = 22;
export const ARCH_RISCV64_UEFI = 27;

const ARCH_NAMES: Record<number, string> = {
  0: "x86 BIOS",
  1: "NEC/PC98",
  2: "Itanium",
  3: "DEC Alpha",
  4: "Arc x86",
  5: "Intel Lean Client",
  6: "x86 UEFI",
  7: "x64 UEFI",
  8: "Xscale UEFI",
  9: "x64 UEFI",
  10: "ARM32 UEFI",
  11: "ARM64 UEFI",
  12: "PowerPC Open Firmware",
  13: "PowerPC ePAPR",
  14: "POWER OPAL v3",
  15: "x86 UEFI HTTP",
  16: "x64 UEFI HTTP",
  17: "EBC UEFI HTTP",
  18: "ARM32 UEFI HTTP",
  19: "ARM64 UEFI HTTP",
  20: "x86 BIOS HTTP",
  21: "ARM32 U-Boot",
  22: "ARM64 U-Boot",
  23: "ARM32 U-Boot HTTP",
  24: "ARM64 U-Boot HTTP",
  25: "RISC-V 32 UEFI",
  26: "RISC-V 32 UEFI HTTP",
  27: "RISC-V 64 UEFI",
  28: "RISC-V 64 UEFI HTTP",
  29: "RISC-V 128 UEFI",
  30: "RISC-V 128 UEFI HTTP",
  31: "s390 Basic",
  32: "s390 Extended",
  33: "MIPS32 UEFI",
  34: "MIPS64 UEFI",
  35: "Sunway 32 UEFI",
  36: "Sunway 64 UEFI",
  37: "LoongArch32 UEFI",
  38: "LoongArch32 UEFI HTTP",
  39: "LoongArch64 UEFI",
  40: "LoongArch64 UEFI HTTP",
  41: "ARM rpiboot",
};

/** "x64 UEFI" for 7; unknown types read "architecture 99". */
export function architectureName(type: number): string {
  return ARCH_NAMES[type] ?? `architecture ${type}`;
}

export interface NetworkInterfaceId {
  /** 1 for UNDI. */
  readonly type: number;
  readonly major: number;
  readonly minor: number;
}

export const CLIENT_NETWORK_INTERFACE_ID: OptionCodec<NetworkInterfaceId> = {
  decode(data) {
    if (data.length !== 3) {
      return decodeFailure("dhcp client network interface id", `length ${data.length}, expected 3`);
    }
    return decoded({ type: data[0], major: data[1], minor: data[2] });
  },
  encode(value) {
    requireUint("interface id type", value.type, 0xff);
    requireUint("interface id major version", value.major, 0xff);
    requireUint("interface id minor version", value.minor, 0xff);
    return Uint8Array.of(value.type, value.major, value.minor);
  },
};

export interface MachineId {
  /** 0 is the only type defined (a GUID). */
  readonly type: number;
  /**
   * The 16 bytes as lowercase 8-4-4-4-12 hex, in wire order. Firmware usually sends the SMBIOS UUID;
   * whether its first three groups are little-endian on the wire varies by vendor, so none is swapped.
   */
  readonly uuid: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeMachineId(data: Uint8Array): Decoded<MachineId> {
  if (data.length !== 17) {
    return decodeFailure(
      "dhcp client machine id",
      `length ${data.length}, expected 17 (type 0 and a 16-byte GUID)`,
    );
  }
  if (data[0] !== 0) return decodeFailure("dhcp client machine id", `type ${data[0]} is not 0 (GUID)`);
  const hex = toHexString(data.subarray(1));
  const uuid = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join(
    "-",
  );
  return decoded({ type: 0, uuid });
}

export function encodeMachineId(value: MachineId): Uint8Array<ArrayBuffer> {
  if (value.type !== 0) throw new RangeError(`client machine id type must be 0, got ${value.type}`);
  if (!UUID_PATTERN.test(value.uuid)) throw new RangeError(`${JSON.stringify(value.uuid)} is not a UUID`);
  const hex = value.uuid.replace(/-/g, "");
  const bytes = new Uint8Array(17);
  for (let i = 0; i < 16; i++) bytes[1 + i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export const CLIENT_MACHINE_ID: OptionCodec<MachineId> = { decode: decodeMachineId, encode: encodeMachineId };
