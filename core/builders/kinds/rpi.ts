// rpi: patches an existing Raspberry Pi image (Raspberry Pi OS or alike: MBR, FAT boot partition, ext4
// root) with the node's configuration, without booting or mounting it — config.txt, cmdline.txt,
// usercfg.txt, SSH (the `ssh` file, userconf.txt, authorized_keys in the first user's home), hostname,
// a first-boot join service — and adds the firmware blobs (Debian's raspi-firmware) the boot partition
// lacks. The work itself is rpi/patch_script.ts, run in the build.
import type { FieldError } from "../../errors/field_errors.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { type BuilderKind, type ContextFile, type Parameters, withArtifactStage } from "../kind.ts";
import { configAddition, JOIN_UNIT, joinScript } from "./rpi/files.ts";
import { PATCH_SCRIPT } from "./rpi/patch_script.ts";
import {
  FOLDER_NAME_HINT,
  FOLDER_NAME_PATTERN,
  HOSTNAME_HINT,
  HOSTNAME_PATTERN,
  KERNEL_ARGS_HINT,
  KERNEL_ARGS_PATTERN,
  SSH_KEYS_HINT,
  SSH_KEYS_PATTERN,
  sshKeyList,
  URL_HINT,
  URL_PATTERN,
} from "./shared/fields.ts";

/**
 * Debian bookworm's raspi-firmware (non-free-firmware, Architecture: all): start*.elf, fixup*.dat and
 * bootcode.bin in usr/lib/raspi-firmware. Fetched by the build from the Debian mirror, checked by hash.
 */
export const RASPI_FIRMWARE_DEB =
  "http://deb.debian.org/debian/pool/non-free-firmware/r/raspi-firmware/raspi-firmware_1.20220830+ds-1_all.deb";
export const RASPI_FIRMWARE_SHA256 = "0094ced47a7fbb6a220ff83e7b43aa637a5d8f6802461e2e4e474597fb796f62";

/** config.txt and usercfg.txt lines, `;` between them. */
const CONFIG_LINES = /^[A-Za-z0-9_=,.:\[\]\/+ -]+(;[A-Za-z0-9_=,.:\[\]\/+ -]+)*$/;
const encoder = new TextEncoder();

export const rpiKind: BuilderKind = {
  name: "rpi",
  title: "Raspberry Pi image",
  description:
    "patches a Raspberry Pi image: config.txt, cmdline.txt, SSH keys, hostname, join service, firmware",
  baseImages: [BOOT_TOOLS],
  fields: [
    {
      name: "name",
      title: "Name",
      description: "the folder under builds/ in bofied's boot tree, and the image's file name",
      type: "string",
      required: true,
      pattern: FOLDER_NAME_PATTERN,
      patternHint: FOLDER_NAME_HINT,
    },
    {
      name: "imageUrl",
      title: "Image URL",
      description: "the Raspberry Pi image to patch: .img or .img.xz (e.g. Raspberry Pi OS Lite)",
      type: "string",
      required: true,
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "hostname",
      title: "Hostname",
      description: "written to /etc/hostname (and the 127.0.1.1 line of /etc/hosts)",
      type: "string",
      pattern: HOSTNAME_PATTERN,
      patternHint: HOSTNAME_HINT,
    },
    {
      name: "user",
      title: "User",
      description: "the first user (userconf.txt; the SSH keys go into their home)",
      type: "string",
      default: "pi",
      pattern: /^[a-z_][a-z0-9_-]{0,31}$/,
      patternHint: "a user name: lower-case letters, digits, _ and -, at most 32",
    },
    {
      name: "passwordHash",
      secret: true,
      title: "Password hash",
      description:
        "the user's crypt(3) hash for userconf.txt (openssl passwd -6); without it, password login stays off",
      type: "string",
      maxLength: 300,
      pattern: /^\$(1|5|6|y|2b)\$[A-Za-z0-9.\/$=]{8,280}$/,
      patternHint: "a crypt hash such as $6$salt$hash (never the password itself)",
    },
    {
      name: "sshKeys",
      title: "SSH keys",
      description: "public keys for the user's authorized_keys, separated by ';' (enables SSH)",
      type: "string",
      maxLength: 20_000,
      pattern: SSH_KEYS_PATTERN,
      patternHint: SSH_KEYS_HINT,
    },
    {
      name: "configTxt",
      title: "config.txt lines",
      description:
        "lines appended to config.txt under [all], separated by ';' (e.g. enable_uart=1;arm_64bit=1)",
      type: "string",
      maxLength: 4000,
      pattern: CONFIG_LINES,
      patternHint: "config.txt lines separated by ';' (letters, digits, spaces and _=,.:[]/+-)",
    },
    {
      name: "usercfgTxt",
      title: "usercfg.txt lines",
      description: "usercfg.txt's lines, separated by ';'; config.txt gets `include usercfg.txt`",
      type: "string",
      maxLength: 4000,
      pattern: CONFIG_LINES,
      patternHint: "config.txt lines separated by ';' (letters, digits, spaces and _=,.:[]/+-)",
    },
    {
      name: "cmdline",
      title: "Kernel arguments",
      description: "cmdline.txt arguments, appended to the image's or replacing them",
      type: "string",
      maxLength: 2000,
      pattern: KERNEL_ARGS_PATTERN,
      patternHint: KERNEL_ARGS_HINT,
    },
    {
      name: "cmdlineMode",
      title: "cmdline.txt",
      description: "append the arguments to cmdline.txt, or replace its line with them",
      type: "choice",
      choices: ["append", "replace"],
      default: "append",
    },
    {
      name: "joinUrl",
      secret: true,
      title: "Join script URL",
      description: "a script a first-boot systemd service fetches and runs once the network is up",
      type: "string",
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "blobs",
      title: "Firmware blobs",
      description: "missing: add the firmware files the boot partition lacks; all: replace them; none",
      type: "choice",
      choices: ["missing", "all", "none"],
      default: "missing",
    },
    {
      name: "firmwareDebUrl",
      title: "Firmware .deb URL",
      description: "the raspi-firmware .deb the blobs come from (Debian bookworm's by default)",
      type: "string",
      default: RASPI_FIRMWARE_DEB,
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "firmwareDebSha256",
      title: "Firmware .deb SHA-256",
      description: "checked before the blobs are used (known for the default URL)",
      type: "string",
      pattern: /^[0-9a-f]{64}$/,
      patternHint: "64 lower-case hex digits",
    },
    {
      name: "dtbDebUrl",
      title: "DTB .deb URL",
      description: "a Debian linux-image-*-arm64 .deb whose broadcom/bcm27*.dtb are added like the blobs",
      type: "string",
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "outputs",
      title: "Outputs",
      description: "the patched image as it is, xz- or zstd-compressed",
      type: "choices",
      choices: ["img", "img.xz", "img.zst"],
      default: ["img.xz"],
    },
  ],
  check(parameters: Parameters): FieldError[] {
    const errors: FieldError[] = [];
    if (!/\.img(\.xz)?$/.test(parameters.imageUrl as string)) {
      errors.push({ field: "parameters.imageUrl", message: "must name a .img or .img.xz file" });
    }
    if (parameters.user === "root") {
      errors.push({ field: "parameters.user", message: "the first user cannot be root" });
    }
    if (parameters.cmdlineMode === "replace" && !parameters.cmdline) {
      errors.push({ field: "parameters.cmdline", message: "replace needs the arguments cmdline.txt gets" });
    }
    if (parameters.dtbDebUrl && parameters.blobs === "none") {
      errors.push({ field: "parameters.dtbDebUrl", message: "DTBs are blobs: choose missing or all" });
    }
    if (!(parameters.outputs as string[] | undefined)?.length) {
      errors.push({ field: "parameters.outputs", message: "choose at least one" });
    }
    return errors;
  },
  template: rpiTemplate,
  publishFolder: (parameters) => `builds/${parameters.name}`,
};

function rpiTemplate(parameters: Parameters) {
  const text = (name: string, content: string, mode?: number): ContextFile => ({
    name: `ctx/${name}`,
    content: encoder.encode(content),
    mode,
  });
  const lines = (value: unknown) => ((value as string | undefined) ?? "").split(";").map((l) => l.trim());
  const keys = sshKeyList(parameters.sshKeys as string | undefined);
  const user = parameters.user as string;
  const files: ContextFile[] = [
    text("patch.sh", PATCH_SCRIPT, 0o755),
    text("config-add.txt", configAddition(parameters.configTxt ? lines(parameters.configTxt) : [])),
    text("cmdline-args.txt", parameters.cmdline ? `${parameters.cmdline}\n` : ""),
    text("hostname", parameters.hostname ? `${parameters.hostname}\n` : ""),
    text("authorized_keys", keys.map((key) => `${key}\n`).join("")),
  ];
  if (parameters.usercfgTxt) files.push(text("usercfg.txt", `${lines(parameters.usercfgTxt).join("\n")}\n`));
  if (keys.length || parameters.passwordHash) {
    // Raspberry Pi OS's first boot renames the first user and sets this hash; `*` keeps password login off.
    files.push(text("userconf.txt", `${user}:${parameters.passwordHash ?? "*"}\n`));
  }
  if (keys.length) files.push(text("ssh", ""));
  if (parameters.joinUrl) {
    files.push(text("ctpf-join", joinScript(parameters.joinUrl as string), 0o755));
    files.push(text("ctpf-join.service", JOIN_UNIT));
  }
  const firmwareUrl = parameters.firmwareDebUrl as string;
  const sha256 = parameters.firmwareDebSha256 ??
    (firmwareUrl === RASPI_FIRMWARE_DEB ? RASPI_FIRMWARE_SHA256 : "");
  files.push(text("firmware.sha256", sha256 ? `${sha256}\n` : ""));
  const imageUrl = parameters.imageUrl as string;
  const source = imageUrl.endsWith(".xz") ? "source.img.xz" : "source.img";
  const adds = [`ADD ${imageUrl} /in/${source}`];
  if (parameters.blobs !== "none") adds.push(`ADD ${firmwareUrl} /in/raspi-firmware.deb`);
  if (parameters.dtbDebUrl) adds.push(`ADD ${parameters.dtbDebUrl} /in/dtbs.deb`);
  const args = [
    source,
    parameters.blobs,
    parameters.cmdlineMode,
    user,
    (parameters.outputs as string[]).join(","),
    parameters.name,
  ];
  return {
    dockerfile: withArtifactStage([
      `FROM ${BOOT_TOOLS.tag} AS build`,
      ...adds,
      "COPY ctx /ctx",
      `RUN /ctx/patch.sh ${args.join(" ")}`,
    ]),
    files,
  };
}
