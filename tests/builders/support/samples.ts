// One representative build per builder kind (and mode), with its inputs made in a folder served on
// loopback: what the benchmark times cold and cached. Each kind's tests check these builds' outputs.
import type { Parameters } from "../../../core/builders/kind.ts";
import { syntheticAlpineRelease } from "./alpine_release.ts";
import { join } from "node:path";
import { bootPayload } from "../../e2e/boot_payload.ts";
import { arm64BootPayload } from "../../e2e/arm64_payload.ts";
import { syntheticInstallerIso } from "./inputs.ts";
import { ipxeStandInTarball } from "./ipxe_standin.ts";
import { syntheticKernelDeb, syntheticRaspberryPiOsImage } from "./rpi_image.ts";

export interface BuilderSample {
  label: string;
  kind: string;
  /** The build's parameters; inputs are written into `dir`, whose files `url` names as served. */
  parameters(dir: string, url: (name: string) => string): Promise<Parameters>;
}

export const builderSamples: BuilderSample[] = [
  {
    label: "ipxe prebuilt (efi + kpxe)",
    kind: "ipxe",
    parameters: () =>
      Promise.resolve({
        name: "bench",
        targets: ["ipxe.efi", "undionly.kpxe"],
        chainUrl: "http://127.0.0.1/x",
      }),
  },
  {
    label: "ipxe source (stand-in, 3 targets)",
    kind: "ipxe",
    parameters: async (dir, url) => ({
      name: "bench-source",
      mode: "source",
      targets: ["ipxe.efi", "undionly.kpxe", "arm64/ipxe.efi"],
      chainUrl: "http://127.0.0.1/x",
      sourceUrl: url(await ipxeStandInTarball(dir)),
    }),
  },
  {
    label: "grub netboot (efi + core.0)",
    kind: "grub",
    parameters: () =>
      Promise.resolve({
        name: "bench-grub",
        entries: "Install|vmlinuz|initrd.img|console=ttyS0",
        timeout: "1",
      }),
  },
  {
    label: "grub iso (remastered, 17 MB)",
    kind: "grub",
    parameters: async (dir, url) => {
      await syntheticInstallerIso(dir);
      return {
        name: "bench-grub-iso",
        mode: "iso",
        isoUrl: url("synthetic-installer.iso"),
        answerFileUrl: "http://127.0.0.1/preseed.cfg",
        timeout: "0",
      };
    },
  },
  {
    label: "syslinux pxe + iso",
    kind: "syslinux",
    parameters: async (dir, url) => {
      await syntheticInstallerIso(dir);
      return {
        name: "bench-syslinux",
        targets: ["pxe", "iso"],
        entries: "marker|::payload/vmlinuz|::payload/initrd.img|console=ttyS0",
        isoUrl: url("synthetic-installer.iso"),
        answerFileUrl: "http://127.0.0.1/preseed.cfg",
      };
    },
  },
  {
    label: "iso (BIOS + UEFI, join config)",
    kind: "iso",
    parameters: async (dir, url) => {
      const payload = await bootPayload();
      await Deno.copyFile(payload.kernel, join(dir, "vmlinuz"));
      await Deno.copyFile(payload.initrd, join(dir, "initrd.img"));
      return {
        name: "bench-iso",
        kernelUrl: url("vmlinuz"),
        initrdUrl: url("initrd.img"),
        cmdline: "console=ttyS0",
        joinConfig: "server = https://127.0.0.1:8470\ntoken = bench\n",
      };
    },
  },
  {
    label: "uboot (network boot.scr)",
    kind: "uboot",
    parameters: () =>
      Promise.resolve({
        name: "bench-uboot",
        source: "network",
        tftpServer: "10.0.0.1",
        kernel: "builds/bench/vmlinuz",
        initrd: "builds/bench/initrd.img",
      }),
  },
  {
    label: "img (arm64 GPT, zst)",
    kind: "img",
    parameters: async (dir, url) => {
      const payload = await arm64BootPayload();
      await Deno.copyFile(payload.kernel, join(dir, "arm64-vmlinuz"));
      await Deno.copyFile(payload.initrd, join(dir, "arm64-initrd.img"));
      return {
        name: "bench-img",
        partitionTable: "gpt",
        kernelUrl: url("arm64-vmlinuz"),
        initrdUrl: url("arm64-initrd.img"),
        hostname: "bench",
      };
    },
  },
  {
    label: "rpi (synthetic image, img.zst)",
    kind: "rpi",
    parameters: async (dir, url) => {
      await syntheticRaspberryPiOsImage(dir);
      await syntheticKernelDeb(dir);
      return {
        name: "bench-rpi",
        imageUrl: url("raspios-synthetic.img"),
        hostname: "bench",
        sshKeys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb bench",
        joinUrl: "http://127.0.0.1/join.sh",
        dtbDebUrl: url("linux-image-synthetic-arm64.deb"),
        outputs: ["img.zst"],
      };
    },
  },
  {
    label: "alpine (synthetic release)",
    kind: "alpine",
    parameters: async (dir, url) => {
      const release = await syntheticAlpineRelease(dir);
      return {
        name: "bench-alpine",
        releaseUrl: url(release.netboot),
        repositoryUrl: url(release.repository),
        bootUrl: "http://127.0.0.1:8470/boot",
        hostname: "bench",
        packages: "curl",
        sshKeys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb bench",
      };
    },
  },
];
