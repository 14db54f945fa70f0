// An arm64 machine that boots a disk image: qemu's virt board (TCG, Cortex-A57) with Debian's U-Boot as
// its firmware, the image as a virtio disk, no network. U-Boot's distro boot scans the disk for a boot
// script; the machine's serial console goes to a file.
import { spawnBackground } from "../harness/mod.ts";
import { machineArgs } from "./machine.ts";

export const UBOOT_QEMU_ARM64 = "/usr/lib/u-boot/qemu_arm64/u-boot.bin";

export function startArm64Machine(disk: string, serial: string) {
  try {
    Deno.statSync(UBOOT_QEMU_ARM64);
  } catch {
    throw new Error(`the arm64 machine needs ${UBOOT_QEMU_ARM64} (apt-get install u-boot-qemu)`);
  }
  return spawnBackground([
    ...machineArgs(serial, "qemu-system-aarch64"),
    "-M",
    "virt",
    "-cpu",
    "cortex-a57",
    "-bios",
    UBOOT_QEMU_ARM64,
    // snapshot: the machine's writes stay in a temp file, the image under test is not changed.
    "-drive",
    `if=none,file=${disk},format=raw,snapshot=on,id=disk0`,
    "-device",
    "virtio-blk-device,drive=disk0",
    "-nic",
    "none",
  ]);
}
