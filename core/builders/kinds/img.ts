// img: an arm64 disk image for installs without a network: a GPT or MBR table, a FAT boot partition with
// the kernel, the initramfs, an optional device tree and the U-Boot script that boots them (the uboot
// kind's, loading from the partition distro boot found it on), and an ext4 root with the node's /etc
// (hostname, hosts, the cluster join configuration). Built without loop devices or mounts; written raw
// and/or compressed (zstd, xz).
import type { FieldError } from "../../errors/field_errors.ts";
import {
  type BuilderKind,
  type ContextFile,
  type ParameterField,
  type Parameters,
  withArtifactStage,
} from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { imageBuildScript, type ImageFormat } from "./img/build_script.ts";
import { diskLayout, type PartitionTable } from "./img/layout.ts";
import {
  answerUrlField,
  bootargsField,
  consoleField,
  fetchUrlHint,
  fetchUrlPattern,
  joinUrlField,
  kernelArguments,
  nameField,
} from "./uboot/fields.ts";
import { mkimageScript, ubootScript } from "./uboot/script.ts";

const encoder = new TextEncoder();

/** Sizes in MiB: the raw image travels through memory as one artifact, so it stays well under 2 GiB. */
const limits = { boot: [8, 4096], root: [8, 16384], rawTotal: 1536 };

const sizeField = (name: string, title: string, description: string, fallback: string): ParameterField => ({
  name,
  title,
  description,
  type: "string",
  default: fallback,
  pattern: /^[1-9][0-9]{0,4}$/,
  patternHint: "a whole number of MiB",
});

const fetchField = (name: string, title: string, description: string, required = false): ParameterField => ({
  name,
  title,
  description,
  type: "string",
  required,
  maxLength: 500,
  pattern: fetchUrlPattern,
  patternHint: fetchUrlHint,
});

export const imgKind: BuilderKind = {
  name: "img",
  title: "arm64 disk image",
  description:
    "an arm64 disk image (FAT boot with a U-Boot script, ext4 root) for installs without a network",
  baseImages: [BOOT_TOOLS],
  fields: [
    nameField,
    {
      name: "partitionTable",
      title: "Partition table",
      description: "gpt, or mbr for boards whose boot ROM reads only MBR",
      type: "choice",
      choices: ["gpt", "mbr"],
      default: "gpt",
    },
    sizeField("bootSize", "Boot partition (MiB)", "the FAT partition: kernel, initramfs, script", "64"),
    sizeField("rootSize", "Root partition (MiB)", "the ext4 partition with the node's /etc", "64"),
    fetchField("kernelUrl", "Kernel URL", "the arm64 kernel (an Image, as booti takes it)", true),
    fetchField("initrdUrl", "Initramfs URL", "the initramfs (empty: none)"),
    fetchField("dtbUrl", "Device tree URL", "a .dtb for the board (empty: the board's own)"),
    consoleField,
    bootargsField,
    answerUrlField,
    joinUrlField,
    {
      name: "hostname",
      title: "Host name",
      description: "the node's /etc/hostname",
      type: "string",
      default: "ctpf-node",
      pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
      patternHint: "a host name label: lower-case letters, digits and inner dashes, at most 63",
    },
    {
      name: "joinConfig",
      secret: true,
      title: "Join configuration",
      description: "the text of /etc/ctpf/join.conf (mode 0600) on the root partition",
      type: "text",
      maxLength: 16384,
      // Text, lines and tabs; no other control characters.
      pattern: /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/,
      patternHint: "text without control characters",
    },
    {
      name: "formats",
      title: "Formats",
      description: "the raw image and/or compressed copies of it",
      type: "choices",
      choices: ["img", "img.zst", "img.xz"],
      default: ["img", "img.zst"],
    },
  ],
  check(parameters: Parameters): FieldError[] {
    const errors: FieldError[] = [];
    const boot = Number(parameters.bootSize), root = Number(parameters.rootSize);
    const range = (name: string, value: number, [min, max]: number[]) => {
      if (value < min || value > max) {
        errors.push({ field: `parameters.${name}`, message: `from ${min} to ${max} MiB` });
      }
    };
    range("bootSize", boot, limits.boot);
    range("rootSize", root, limits.root);
    if (errors.length === 0 && (parameters.formats as string[]).includes("img")) {
      if (boot + root + 2 > limits.rawTotal) {
        errors.push({
          field: "parameters.rootSize",
          message: `the raw image must stay within ${limits.rawTotal} MiB: ask only for compressed formats`,
        });
      }
    }
    return errors;
  },
  template(parameters: Parameters) {
    const text = (name: string) => parameters[name] as string | undefined;
    const layout = diskLayout(
      text("name")!,
      text("partitionTable") as PartitionTable,
      Number(parameters.bootSize),
      Number(parameters.rootSize),
    );
    const script = ubootScript({
      arch: "arm64",
      source: { from: "auto" },
      kernel: "/vmlinuz",
      initrd: text("initrdUrl") ? "/initrd.img" : undefined,
      fdt: text("dtbUrl") ? "/board.dtb" : undefined,
      bootargs: kernelArguments(
        {
          console: text("console"),
          bootargs: text("bootargs"),
          answerUrl: text("answerUrl"),
          joinUrl: text("joinUrl"),
        },
        [`root=PARTUUID=${layout.rootPartUuid}`, "rootwait"],
      ),
    });
    const hostname = text("hostname")!;
    const files: ContextFile[] = [
      { name: "layout.sfdisk", content: encoder.encode(layout.sfdisk) },
      { name: "boot.cmd", content: encoder.encode(script) },
      { name: "hostname", content: encoder.encode(`${hostname}\n`) },
      { name: "hosts", content: encoder.encode(`127.0.0.1 localhost\n127.0.1.1 ${hostname}\n`) },
    ];
    const rootFiles = [
      { path: "etc/hostname", from: "hostname", mode: "644" },
      { path: "etc/hosts", from: "hosts", mode: "644" },
    ];
    const joinConfig = text("joinConfig");
    if (joinConfig) {
      const content = joinConfig.endsWith("\n") ? joinConfig : `${joinConfig}\n`;
      files.push({ name: "join.conf", content: encoder.encode(content), mode: 0o600 });
      // It may carry a join token: only root reads it on the node.
      rootFiles.push({ path: "etc/ctpf/join.conf", from: "join.conf", mode: "600" });
    }
    const adds = [["kernelUrl", "vmlinuz"], ["initrdUrl", "initrd.img"], ["dtbUrl", "board.dtb"]]
      .filter(([field]) => text(field));
    const buildScript = imageBuildScript({
      layout,
      bootFiles: {
        "boot.cmd": "/ctx/boot.cmd",
        ...Object.fromEntries(adds.map(([, name]) => [name, `/in/${name}`])),
      },
      rootFiles,
      formats: parameters.formats as ImageFormat[],
      compileScript: mkimageScript("arm64", "boot/boot.cmd", "boot/boot.scr"),
    });
    files.push({ name: "build-img.sh", content: encoder.encode(buildScript) });
    return {
      dockerfile: withArtifactStage([
        `FROM ${BOOT_TOOLS.tag} AS build`,
        ...adds.map(([field, name]) => `ADD ${text(field)} /in/${name}`),
        `COPY ${files.map((file) => file.name).join(" ")} /ctx/`,
        "RUN sh /ctx/build-img.sh",
      ]),
      files,
    };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
};
