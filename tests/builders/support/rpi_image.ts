// A synthetic Raspberry Pi OS image, named as such (a real one is 2.7 GB and cannot be fetched here):
// the layout the rpi builder patches — MBR, a FAT32 boot partition (config.txt, cmdline.txt, a
// kernel8.img placeholder, one DTB and one firmware file already there), an ext4 root with /etc/hostname,
// /etc/hosts, /etc/passwd (pi, uid 1000), /home/pi and /etc/systemd/system — made without loop
// devices or mounts (mkfs on files, mtools, mkfs.ext4 -d, dd into the image). Also a synthetic kernel
// .deb holding DTBs where Debian's linux-image-*-arm64 has them.
import { join } from "node:path";

const decoder = new TextDecoder();

export async function run(command: string[], options: { stdin?: Uint8Array } = {}): Promise<string> {
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { MTOOLS_SKIP_CHECK: "1" },
  }).spawn();
  if (options.stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin);
    await writer.close();
  }
  const output = await child.output();
  if (!output.success) {
    throw new Error(`${command.join(" ")}: ${decoder.decode(output.stderr)}${decoder.decode(output.stdout)}`);
  }
  return decoder.decode(output.stdout);
}

export const SECTOR = 512;
export const BOOT_START = 8192;
// 40 MiB: FAT32 (at least 65525 clusters, here of one sector) with room for Debian's firmware blobs.
export const BOOT_SECTORS = 81920;
export const ROOT_START = BOOT_START + BOOT_SECTORS;
export const ROOT_SECTORS = 24576; // 12 MiB

export const syntheticBoot = {
  "config.txt": "# CTPF synthetic Raspberry Pi OS image\n[pi4]\narm_boost=1\n\n[all]\nenable_uart=0\n",
  "cmdline.txt": "console=serial0,115200 console=tty1 root=PARTUUID=c7a5b3f1-02 rootfstype=ext4 rootwait\n",
  "kernel8.img": "CTPF synthetic kernel8.img placeholder\n",
  "bcm2711-rpi-4-b.dtb": "CTPF synthetic DTB already in the image\n",
  "start4.elf": "CTPF synthetic start4.elf already in the image\n",
};

export const syntheticRoot = {
  "etc/hostname": "raspberrypi\n",
  "etc/hosts":
    "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n\n127.0.1.1\t\traspberrypi\n",
  "etc/passwd": "root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000:,,,:/home/pi:/bin/bash\n",
  "etc/systemd/system/README": "CTPF synthetic Raspberry Pi OS root\n",
  "home/pi/.bashrc": "# CTPF synthetic\n",
};

/** The image file in `dir` (named raspios-synthetic.img). */
export async function syntheticRaspberryPiOsImage(dir: string): Promise<string> {
  const image = join(dir, "raspios-synthetic.img");
  const work = await Deno.makeTempDir({ dir, prefix: "rpi-synthetic-" });
  try {
    await run(["truncate", "-s", String((ROOT_START + ROOT_SECTORS) * SECTOR), image]);
    await run(["sfdisk", "--quiet", image], {
      stdin: new TextEncoder().encode(
        `label: dos\nlabel-id: 0xc7a5b3f1\n` +
          `start=${BOOT_START}, size=${BOOT_SECTORS}, type=c, bootable\n` +
          `start=${ROOT_START}, size=${ROOT_SECTORS}, type=83\n`,
      ),
    });
    const fat = join(work, "boot.fat");
    await run(["truncate", "-s", String(BOOT_SECTORS * SECTOR), fat]);
    await run(["mkfs.fat", "-F", "32", "-s", "1", "-n", "BOOTFS", fat]);
    for (const [name, content] of Object.entries(syntheticBoot)) {
      await Deno.writeTextFile(join(work, name), content);
      await run(["mcopy", "-i", fat, join(work, name), `::${name}`]);
    }
    const tree = join(work, "root");
    for (const [name, content] of Object.entries(syntheticRoot)) {
      await Deno.mkdir(join(tree, name, ".."), { recursive: true });
      await Deno.writeTextFile(join(tree, name), content);
    }
    // mkfs.ext4 -d keeps the tree's owners: pi's home is pi's, as in the real image.
    await run(["chown", "-R", "1000:1000", join(tree, "home/pi")]);
    const ext4 = join(work, "root.ext4");
    await run(["truncate", "-s", String(ROOT_SECTORS * SECTOR), ext4]);
    await run(["mkfs.ext4", "-q", "-L", "rootfs", "-d", tree, ext4]);
    for (const [file, start] of [[fat, BOOT_START], [ext4, ROOT_START]] as const) {
      await run([
        "dd",
        `if=${file}`,
        `of=${image}`,
        "bs=1M",
        "oflag=seek_bytes",
        `seek=${start * SECTOR}`,
        "conv=notrunc",
        "status=none",
      ]);
    }
    return image;
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

export const syntheticDtbs = {
  "bcm2711-rpi-4-b.dtb": "CTPF synthetic DTB from the kernel .deb (bcm2711)\n",
  "bcm2710-rpi-3-b.dtb": "CTPF synthetic DTB from the kernel .deb (bcm2710)\n",
};

/** A synthetic linux-image .deb with DTBs where Debian's has them (usr/lib/linux-image-*\/broadcom). */
export async function syntheticKernelDeb(dir: string): Promise<string> {
  const tree = await Deno.makeTempDir({ dir, prefix: "kernel-deb-" });
  try {
    const dtbDir = join(tree, "usr/lib/linux-image-6.1.0-synthetic-arm64/broadcom");
    await Deno.mkdir(dtbDir, { recursive: true });
    for (const [name, content] of Object.entries(syntheticDtbs)) {
      await Deno.writeTextFile(join(dtbDir, name), content);
    }
    await Deno.mkdir(join(tree, "DEBIAN"));
    await Deno.writeTextFile(
      join(tree, "DEBIAN/control"),
      "Package: linux-image-synthetic-arm64\nVersion: 6.1.0-1\nArchitecture: arm64\nMaintainer: CTPF tests <tests@ctpf>\n" +
        "Description: CTPF synthetic kernel package holding only DTBs\n",
    );
    const deb = join(dir, "linux-image-synthetic-arm64.deb");
    await run(["dpkg-deb", "--root-owner-group", "-b", tree, deb]);
    return deb;
  } finally {
    await Deno.remove(tree, { recursive: true });
  }
}
