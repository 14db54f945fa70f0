// The shell script the iso kind's RUN step runs in BOOT_TOOLS: the same text for every build (what varies
// comes as files in /work and two checked arguments), so no parameter is ever parsed by a shell.
import { MENU_MODULES } from "../syslinux/menu.ts";

/**
 * Usage: build-iso.sh <output name> <volume id>. Inputs: /in/vmlinuz, /in/initrd (from ADD), and
 * /work/isolinux.cfg, /work/grub.cfg, optionally /work/join.conf.
 *
 * - The join configuration goes into the ISO as /ctpf/join.conf, and into the initrd as a second newc
 *   cpio archive holding ctpf/join.conf: the kernel unpacks concatenated archives into one initramfs, so
 *   the booted system finds /ctpf/join.conf without reading the ISO. The first archive is padded with
 *   zeros to a 4-byte boundary, where the kernel looks for the next archive's header.
 * - UEFI: grub-mkstandalone makes BOOTX64.EFI with the grub.cfg and only the modules it needs in its
 *   memdisk; a FAT image (mtools, no mount) holds it as EFI/BOOT/BOOTX64.EFI and is the ISO's second El
 *   Torito image.
 * - BIOS: ISOLINUX is the first El Torito image; the isohybrid MBR and the GPT entry for the FAT image
 *   make the same file boot from a disk or USB stick on both.
 */
export const buildIsoScript = `#!/bin/sh
set -eu
output="$1"
volume="$2"
tree=/work/tree
mkdir -p "$tree/ctpf" "$tree/isolinux" "$tree/boot" /out

cp /in/vmlinuz "$tree/ctpf/vmlinuz"
cp /in/initrd "$tree/ctpf/initrd.img"
if [ -f /work/join.conf ]; then
  cp /work/join.conf "$tree/ctpf/join.conf"
  mkdir -p /work/overlay/ctpf
  cp /work/join.conf /work/overlay/ctpf/join.conf
  chmod 0755 /work/overlay/ctpf
  chmod 0644 /work/overlay/ctpf/join.conf
  (cd /work/overlay && printf 'ctpf\\nctpf/join.conf\\n' | cpio --quiet -o -H newc -R 0:0 --reproducible) >/work/join.cpio
  truncate -s %4 "$tree/ctpf/initrd.img"
  cat /work/join.cpio >>"$tree/ctpf/initrd.img"
fi

cp /usr/lib/ISOLINUX/isolinux.bin ${
  MENU_MODULES.map((m) => `/usr/lib/syslinux/modules/bios/${m}`).join(" ")
} "$tree/isolinux/"
cp /work/isolinux.cfg "$tree/isolinux/isolinux.cfg"

grub-mkstandalone -O x86_64-efi --fonts= --locales= --themes= \\
  --install-modules="linux normal iso9660 part_msdos part_gpt fat search search_fs_file configfile echo test gzio all_video" \\
  --modules="part_msdos part_gpt iso9660" \\
  -o /work/BOOTX64.EFI "boot/grub/grub.cfg=/work/grub.cfg"
kib=$(( $(stat -c %s /work/BOOTX64.EFI) / 1024 + 128 ))
mkfs.fat -C /work/efiboot.img "$kib" >/dev/null
mmd -i /work/efiboot.img ::/EFI ::/EFI/BOOT
mcopy -i /work/efiboot.img /work/BOOTX64.EFI ::/EFI/BOOT/BOOTX64.EFI
cp /work/efiboot.img "$tree/boot/efiboot.img"

xorriso -as mkisofs -R -J -V "$volume" -o "/out/$output" \\
  -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \\
  -c isolinux/boot.cat -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 4 -boot-info-table \\
  -eltorito-alt-boot -e boot/efiboot.img -no-emul-boot -isohybrid-gpt-basdat \\
  "$tree"
xorriso -indev "/out/$output" -report_el_torito plain -find / -type f -exec lsdl --
`;
