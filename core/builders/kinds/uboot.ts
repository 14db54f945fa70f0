// uboot: a U-Boot boot script (boot.cmd, compiled into boot.scr by mkimage) that loads a kernel, an
// initramfs and optionally a device tree from a disk partition or over TFTP, and boots them with a
// command line carrying the console and the installer's answer-file and join URLs. For arm64 (and 32-bit
// arm) boards that install from an IMG or netboot; bofied serves the script at builds/<name>/boot.scr.
import type { FieldError } from "../../errors/field_errors.ts";
import { type BuilderKind, type ParameterField, type Parameters, withArtifactStage } from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import {
  answerUrlField,
  bootargsField,
  consoleField,
  joinUrlField,
  kernelArguments,
  nameField,
} from "./uboot/fields.ts";
import { mkimageScript, type UbootArch, ubootScript, type UbootSource } from "./uboot/script.ts";

const encoder = new TextEncoder();

/** A file on the partition or the TFTP server: no spaces, quotes or `..` parts. */
const pathField = (name: string, title: string, description: string, required = false): ParameterField => ({
  name,
  title,
  description,
  type: "string",
  required,
  maxLength: 200,
  pattern: /^(?!(.*\/)?\.\.(\/|$))[A-Za-z0-9._\/-]+$/,
  patternHint: "a path of letters, digits, . _ - and /, without .. parts",
});

export const ubootKind: BuilderKind = {
  name: "uboot",
  title: "U-Boot script",
  description: "a U-Boot boot script (boot.scr) that boots a kernel from a disk partition or over TFTP",
  baseImages: [BOOT_TOOLS],
  fields: [
    nameField,
    {
      name: "arch",
      title: "Architecture",
      description: "arm64 boots an Image with booti; arm (32-bit) a zImage with bootz",
      type: "choice",
      choices: ["arm64", "arm"],
      default: "arm64",
    },
    {
      name: "source",
      title: "Load from",
      description: "disk: a partition (mmc, virtio, usb…); network: TFTP after DHCP",
      type: "choice",
      choices: ["disk", "network"],
      default: "disk",
    },
    {
      name: "device",
      title: "Device and partition",
      description: "disk: e.g. mmc 0:1; auto: the partition distro boot found this script on",
      type: "string",
      default: "auto",
      pattern: /^(auto|(mmc|virtio|usb|scsi|nvme|sata|ide) [0-9]{1,2}:[0-9]{1,3})$/,
      patternHint: "auto, or an interface and device:partition, e.g. mmc 0:1",
    },
    {
      name: "tftpServer",
      title: "TFTP server",
      description: "network: the server's IPv4 address (empty: the DHCP answer's next server)",
      type: "string",
      pattern: /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/,
      patternHint: "an IPv4 address",
    },
    pathField("kernel", "Kernel", "the kernel's path on the partition or TFTP server", true),
    pathField("initrd", "Initramfs", "the initramfs' path (empty: none)"),
    pathField("fdt", "Device tree", "a .dtb to load (empty: the board's own, from its firmware)"),
    consoleField,
    bootargsField,
    answerUrlField,
    joinUrlField,
  ],
  check(parameters: Parameters): FieldError[] {
    if (parameters.source === "network" && parameters.device !== "auto") {
      return [{ field: "parameters.device", message: "network boots load over TFTP: leave it auto" }];
    }
    if (parameters.source === "disk" && parameters.tftpServer) {
      return [{ field: "parameters.tftpServer", message: "only for source network" }];
    }
    return [];
  },
  template(parameters: Parameters) {
    const arch = parameters.arch as UbootArch;
    const script = ubootScriptOf(parameters);
    return {
      dockerfile: withArtifactStage([
        `FROM ${BOOT_TOOLS.tag} AS build`,
        "COPY boot.cmd /out/boot.cmd",
        `RUN ${mkimageScript(arch, "/out/boot.cmd", "/out/boot.scr")} && sha256sum /out/*`,
      ]),
      files: [{ name: "boot.cmd", content: encoder.encode(script) }],
    };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
};

/** The boot.cmd a checked uboot build writes. */
export function ubootScriptOf(parameters: Parameters): string {
  const text = (name: string) => parameters[name] as string | undefined;
  let source: UbootSource = { from: "auto" };
  if (parameters.source === "network") source = { from: "network", server: text("tftpServer") };
  else if (parameters.device !== "auto") source = { from: "device", device: text("device")! };
  return ubootScript({
    arch: parameters.arch as UbootArch,
    source,
    kernel: text("kernel")!,
    initrd: text("initrd"),
    fdt: text("fdt"),
    bootargs: kernelArguments({
      console: text("console"),
      bootargs: text("bootargs"),
      answerUrl: text("answerUrl"),
      joinUrl: text("joinUrl"),
    }),
  });
}
