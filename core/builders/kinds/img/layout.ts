// An arm64 disk image's layout: a FAT boot partition at 1 MiB and an ext4 root right after it, as an
// sfdisk script for GPT or MBR. The disk's identifiers come from the image's name, so the same parameters
// make the same image (and BuildKit's cache holds), and the root's PARTUUID is known before the build.
import { createHash } from "node:crypto";

export type PartitionTable = "gpt" | "mbr";

const MIB_SECTORS = 2048;
const GPT_EFI_SYSTEM = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
const GPT_LINUX_FILESYSTEM = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

export interface DiskLayout {
  table: PartitionTable;
  /** Where each partition starts and how long it is, in MiB. */
  boot: { startMiB: number; sizeMiB: number };
  root: { startMiB: number; sizeMiB: number };
  /** The whole image, with 1 MiB at the end for GPT's backup header (kept for MBR too). */
  totalMiB: number;
  /** FAT volume id, 8 hex digits. */
  fatVolumeId: string;
  /** The ext4 file system's UUID (also its directory hash seed). */
  rootFsUuid: string;
  /** What the kernel finds the root partition by: root=PARTUUID=<this>. */
  rootPartUuid: string;
  /** Input to `sfdisk <image>`. */
  sfdisk: string;
}

export function diskLayout(
  name: string,
  table: PartitionTable,
  bootMiB: number,
  rootMiB: number,
): DiskLayout {
  const ids = identifiers(name);
  const boot = { startMiB: 1, sizeMiB: bootMiB };
  const root = { startMiB: 1 + bootMiB, sizeMiB: rootMiB };
  const sectors = (part: { startMiB: number; sizeMiB: number }) =>
    `start=${part.startMiB * MIB_SECTORS}, size=${part.sizeMiB * MIB_SECTORS}`;
  const lines = table === "gpt"
    ? [
      "label: gpt",
      `label-id: ${ids.uuid(0)}`,
      "unit: sectors",
      `first-lba: ${MIB_SECTORS}`,
      // EFI System: UEFI firmware finds it too; LegacyBIOSBootable: U-Boot's distro boot scans it first.
      `${sectors(boot)}, type=${GPT_EFI_SYSTEM}, uuid=${
        ids.uuid(1)
      }, name="boot", attrs="LegacyBIOSBootable"`,
      `${sectors(root)}, type=${GPT_LINUX_FILESYSTEM}, uuid=${ids.uuid(2)}, name="root"`,
    ]
    : [
      "label: dos",
      `label-id: 0x${ids.hex(4)}`,
      "unit: sectors",
      // W95 FAT32 (LBA), active: what boards' ROMs and U-Boot's distro boot look for.
      `${sectors(boot)}, type=c, bootable`,
      `${sectors(root)}, type=83`,
    ];
  return {
    table,
    boot,
    root,
    totalMiB: root.startMiB + rootMiB + 1,
    fatVolumeId: ids.hex(8),
    rootFsUuid: ids.uuid(3),
    rootPartUuid: table === "gpt" ? ids.uuid(2).toLowerCase() : `${ids.hex(4)}-02`,
    sfdisk: lines.join("\n") + "\n",
  };
}

/** Stable identifiers from the name: hex digits and RFC 4122 (version 4 shaped) UUIDs, by index. */
function identifiers(name: string) {
  const digest = (index: number) => createHash("sha256").update(`ctpf-img/${name}/${index}`).digest();
  return {
    hex(offset: number): string {
      const bytes = digest(100 + offset).subarray(0, 4);
      bytes[0] |= 0x10; // never all zeros: MBR's "no signature" and FAT's unset volume id
      return bytes.toString("hex");
    },
    uuid(index: number): string {
      const bytes = digest(index).subarray(0, 16);
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const hex = bytes.toString("hex").toUpperCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
        hex.slice(20)
      }`;
    },
  };
}
