import type { Firmware } from "./model.ts";

// RFC 4578 / IANA "Processor Architecture Types": what a PXE request says about the machine.
const architectures: Record<number, [string, Firmware]> = {
  0: ["x86", "bios"],
  6: ["x86", "uefi"],
  7: ["x64", "uefi"],
  9: ["x64", "uefi"],
  10: ["arm32", "uefi"],
  11: ["arm64", "uefi"],
  15: ["x86", "uefi"],
  16: ["x64", "uefi"],
  18: ["arm32", "uefi"],
  19: ["arm64", "uefi"],
  20: ["x86", "bios"],
  21: ["arm32", ""],
  22: ["arm64", ""],
  25: ["riscv32", "uefi"],
  27: ["riscv64", "uefi"],
  39: ["loongarch64", "uefi"],
  40: ["loongarch64", "uefi"],
};

/** The CPU architecture and firmware a PXE architecture type names; unknown types say "arch <n>". */
export function machineOfPxeArch(type: number): { architecture: string; firmware: Firmware } {
  const known = architectures[type];
  return known
    ? { architecture: known[0], firmware: known[1] }
    : { architecture: `arch ${type}`, firmware: "" };
}
