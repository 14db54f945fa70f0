// The shell scripts the grub builder's RUN step runs inside the boot-tools image: standalone GRUB images
// with the generated grub.cfg in their memdisk, and the ISO remastered around one. They take no value
// from the parameters except names the patterns allow, written as shell words without expansion.

/** GRUB modules every image may load (and their dependencies): what the generated configs use. */
const COMMON_MODULES =
  "linux normal serial terminal echo test search search_fs_file configfile all_video gzio";

/** grub-mkstandalone with the config at the memdisk's /boot/grub/grub.cfg, no locales, fonts or themes. */
function standalone(format: string, output: string, install: string, preload: string): string {
  return [
    `grub-mkstandalone -O ${format} -o ${output}`,
    `  --install-modules="${COMMON_MODULES} ${install}"`,
    `  --modules="${preload}"`,
    `  --locales= --fonts= --themes=`,
    `  "boot/grub/grub.cfg=/work/grub.cfg"`,
  ].join(" \\\n");
}

export const netbootTargets = ["grubx64.efi", "core.0"] as const;
export type NetbootTarget = typeof netbootTargets[number];

/** grubx64.efi (amd64 UEFI, EFI's network stack) and core.0 (BIOS PXE, through the PXE ROM's UNDI). */
export function netbootScript(targets: NetbootTarget[]): string {
  const lines = ["set -eu", "mkdir -p /out", "cp /work/grub.cfg /out/grub.cfg"];
  if (targets.includes("grubx64.efi")) {
    lines.push(standalone(
      "x86_64-efi",
      "/out/grubx64.efi",
      "efinet net tftp http efi_gop efi_uga",
      "efinet net tftp http linux normal serial",
    ));
  }
  if (targets.includes("core.0")) {
    lines.push(
      standalone("i386-pc-pxe", "/out/core.0", "pxe net tftp http", "pxe net tftp http linux normal serial"),
    );
  }
  lines.push("ls -l /out", "sha256sum /out/*", "");
  return lines.join("\n");
}

/**
 * The installer ISO at /in/installer.iso, checked to hold the kernel and initrd, written again with an
 * EFI System Partition holding GRUB as EFI/BOOT/BOOTX64.EFI: appended as GPT partition 2 (a USB stick
 * boots it) and named as the El Torito EFI boot image (a CD-ROM drive boots it). The ISO's own boot
 * images and system area are dropped, so nothing but this GRUB boots it; grub.cfg goes in as /ctpf/grub.cfg.
 */
export function isoScript(options: { kernel: string; initrd: string; output: string }): string {
  const check = (path: string) =>
    `[ -n "$(xorriso -indev /in/installer.iso -ls '/${path}' 2>/dev/null)" ] || ` +
    `{ echo 'CTPF: /${path} is not in the ISO (see the kernel and initrd parameters)' >&2; exit 1; }`;
  return [
    "set -eu",
    check(options.kernel),
    check(options.initrd),
    "mkdir -p /out",
    standalone(
      "x86_64-efi",
      "/work/BOOTX64.EFI",
      "iso9660 part_gpt part_msdos fat efi_gop efi_uga",
      "linux normal serial search iso9660 part_gpt part_msdos",
    ),
    // The ESP: GRUB plus a little room, FAT made on a file and filled with mtools (no loop device).
    "kib=$(( $(stat -c %s /work/BOOTX64.EFI) / 1024 + 512 ))",
    "mkfs.fat -C -n CTPF_ESP /work/efi.img $kib",
    "mmd -i /work/efi.img ::/EFI ::/EFI/BOOT",
    "mcopy -i /work/efi.img /work/BOOTX64.EFI ::/EFI/BOOT/BOOTX64.EFI",
    [
      `xorriso -indev /in/installer.iso -outdev '/out/${options.output}'`,
      "  -boot_image any discard -boot_image any system_area=/dev/zero",
      "  -append_partition 2 0xef /work/efi.img -boot_image any appended_part_as=gpt",
      "  -boot_image any efi_path=--interval:appended_partition_2:all::",
      "  -map /work/grub.cfg /ctpf/grub.cfg -commit",
    ].join(" \\\n"),
    `xorriso -indev '/out/${options.output}' -report_el_torito plain -report_system_area plain`,
    "cp /work/grub.cfg /out/grub.cfg",
    "ls -l /out",
    "",
  ].join("\n");
}
