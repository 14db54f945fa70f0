// grub: GRUB with an embedded grub.cfg, from Debian's GRUB in the boot-tools image. "netboot" makes
// standalone network loaders (grubx64.efi for amd64 UEFI, core.0 for BIOS PXE) whose menu boots kernels
// from the boot server; "iso" remasters an installer ISO into one that boots on UEFI straight into the
// installer with the answer-file URL on its command line, for fully automatic installs.
import type { FieldError } from "../../errors/field_errors.ts";
import type { BuilderKind, Parameters } from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { isoScript, netbootScript, type NetbootTarget, netbootTargets } from "./grub/build_script.ts";
import {
  consoleArgs,
  isoConfig,
  netbootConfig,
  type NetSource,
  parseEntries,
  PATH_PATTERN,
  PLAIN_TEXT_PATTERN,
  type SerialConsole,
  splitArgs,
} from "./grub/config.ts";

/** The kernel arguments that hand an installer its answer file, by installer family. */
export const answerFileArgs: Record<string, (url: string) => string[]> = {
  preseed: (url) => ["auto=true", "priority=critical", `preseed/url=${url}`],
  autoinstall: (url) => ["autoinstall", `ds=nocloud-net;s=${url}`],
  kickstart: (url) => [`inst.ks=${url}`],
  none: () => [],
};

// No whitespace, quotes, backslashes or $: URLs go into a Dockerfile line (which expands $) and into
// single-quoted GRUB words.
const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-?=&:+,;@!*()]*)?$/;
const URL_HINT = "an http:// or https:// URL without spaces, quotes, backslashes or $";
const PATH_HINT = "a relative path of letters, digits and ._+- (no .. segments)";

const encoder = new TextEncoder();

export const grubKind: BuilderKind = {
  name: "grub",
  title: "GRUB",
  description: "GRUB network loaders with a menu (UEFI and BIOS), and installer ISOs remastered for " +
    "automatic UEFI installs",
  baseImages: [BOOT_TOOLS],
  fields: [
    {
      name: "name",
      title: "Name",
      description: "the folder under builds/ in bofied's boot tree the files are published to",
      type: "string",
      required: true,
      pattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
      patternHint: "lower-case letters, digits and dashes, at most 40, starting with a letter or digit",
    },
    {
      name: "mode",
      title: "Mode",
      description: "netboot: network loaders whose menu boots kernels from the boot server; " +
        "iso: an installer ISO made to boot its installer automatically on UEFI",
      type: "choice",
      choices: ["netboot", "iso"],
      default: "netboot",
    },
    {
      name: "targets",
      title: "Targets",
      description: "netboot: grubx64.efi (amd64 UEFI) and core.0 (BIOS PXE)",
      type: "choices",
      choices: [...netbootTargets],
      default: [...netbootTargets],
    },
    {
      name: "entries",
      title: "Menu entries",
      description: "netboot: entries separated by ;, each label|kernel|initrd|arguments, the paths as the " +
        "boot server has them (e.g. Debian|debian/linux|debian/initrd.gz|priority=low)",
      type: "string",
      maxLength: 4000,
      // Shapes are checked per entry (check), naming the entry.
      pattern: PLAIN_TEXT_PATTERN,
      patternHint: "no quotes, backslashes or line breaks",
    },
    {
      name: "defaultEntry",
      title: "Default entry",
      description: "netboot: the label of the entry booted when the timeout ends (default: the first)",
      type: "string",
      maxLength: 64,
      pattern: /^[A-Za-z0-9][A-Za-z0-9 ._()+:,\/-]{0,63}$/,
      patternHint: "the label of one of the entries",
    },
    {
      name: "protocol",
      title: "Protocol",
      description: "netboot: how GRUB fetches kernels (GRUB 2.06's http needs a server that sends " +
        "Content-Length with that capitalisation: not bofied)",
      type: "choice",
      choices: ["tftp", "http"],
      default: "tftp",
    },
    {
      name: "server",
      title: "Server",
      description: "netboot: host or host:port kernels are fetched from (default: the DHCP answer's " +
        "next server, i.e. bofied over TFTP); needed for http",
      type: "string",
      maxLength: 260,
      pattern: /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}(:[0-9]{1,5})?$/,
      patternHint: "a host name or IPv4 address, optionally :port",
    },
    {
      name: "isoUrl",
      title: "Installer ISO URL",
      description: "iso: the installer ISO to remaster",
      type: "string",
      maxLength: 1000,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "kernel",
      title: "Installer kernel",
      description: "iso: the installer's kernel inside the ISO",
      type: "string",
      default: "install.amd/vmlinuz",
      maxLength: 200,
      pattern: PATH_PATTERN,
      patternHint: PATH_HINT,
    },
    {
      name: "initrd",
      title: "Installer initrd",
      description: "iso: the installer's initrd inside the ISO",
      type: "string",
      default: "install.amd/initrd.gz",
      maxLength: 200,
      pattern: PATH_PATTERN,
      patternHint: PATH_HINT,
    },
    {
      name: "answerFile",
      title: "Answer file kind",
      description: "how the answer file is handed to the installer: preseed (Debian), autoinstall " +
        "(Ubuntu, the URL of the folder with user-data), kickstart (Fedora, RHEL), or none",
      type: "choice",
      choices: Object.keys(answerFileArgs),
      default: "preseed",
    },
    {
      name: "answerFileUrl",
      title: "Answer file URL",
      description: "the answer file (e.g. served by bofied); iso: required unless the kind is none; " +
        "netboot: added to every entry when given",
      type: "string",
      maxLength: 1000,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "kernelArgs",
      title: "Extra kernel arguments",
      description: "added to the command line of the installer (iso) or of every entry (netboot)",
      type: "string",
      maxLength: 1000,
      pattern: PLAIN_TEXT_PATTERN,
      patternHint: "no quotes, backslashes or line breaks",
    },
    {
      name: "serial",
      title: "Serial console",
      description: "the serial port (115200 baud) GRUB and the kernel also use as console, or none",
      type: "choice",
      choices: ["ttyS0", "ttyS1", "none"],
      default: "ttyS0",
    },
    {
      name: "timeout",
      title: "Timeout",
      description: "seconds the menu waits before booting the default entry (0: at once)",
      type: "string",
      default: "5",
      pattern: /^[0-9]{1,4}$/,
      patternHint: "whole seconds, 0 to 9999",
    },
  ],
  check(parameters: Parameters): FieldError[] {
    return parameters.mode === "iso" ? checkIso(parameters) : checkNetboot(parameters);
  },
  template(parameters: Parameters) {
    const iso = parameters.mode === "iso";
    const config = iso ? isoConfigOf(parameters) : netbootConfigOf(parameters);
    const script = iso
      ? isoScript({
        kernel: parameters.kernel as string,
        initrd: parameters.initrd as string,
        output: isoFileName(parameters),
      })
      : netbootScript(parameters.targets as NetbootTarget[]);
    return {
      dockerfile: [
        `FROM ${BOOT_TOOLS.tag} AS build`,
        // The ISO first: a changed configuration does not fetch or copy it again.
        ...(iso ? [`ADD ${parameters.isoUrl} /in/installer.iso`] : []),
        "COPY grub.cfg build.sh /work/",
        "RUN sh /work/build.sh",
        "FROM scratch",
        "COPY --from=build /out /out",
        "",
      ].join("\n"),
      files: [
        { name: "grub.cfg", content: encoder.encode(config) },
        { name: "build.sh", content: encoder.encode(script) },
      ],
    };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
};

/** The remastered ISO's file name in the build's folder. */
export function isoFileName(parameters: Parameters): string {
  return `${parameters.name}.iso`;
}

const at = (name: string) => `parameters.${name}`;

function checkNetboot(parameters: Parameters): FieldError[] {
  const errors: FieldError[] = [];
  if (!parameters.entries) return [{ field: at("entries"), message: "required in netboot mode" }];
  const { entries, errors: entryErrors } = parseEntries(parameters.entries as string);
  errors.push(...entryErrors.map((message) => ({ field: at("entries"), message })));
  const label = parameters.defaultEntry;
  if (label !== undefined && entryErrors.length === 0 && !entries.some((entry) => entry.label === label)) {
    errors.push({ field: at("defaultEntry"), message: `no entry is labelled ${label}` });
  }
  if ((parameters.targets as string[]).length === 0) {
    errors.push({ field: at("targets"), message: "at least one target is needed" });
  }
  if (parameters.protocol === "http" && !parameters.server) {
    errors.push({ field: at("server"), message: "required for http (GRUB knows no HTTP server by itself)" });
  }
  return errors;
}

function checkIso(parameters: Parameters): FieldError[] {
  const errors: FieldError[] = [];
  if (!parameters.isoUrl) errors.push({ field: at("isoUrl"), message: "required in iso mode" });
  if (parameters.answerFile !== "none" && !parameters.answerFileUrl) {
    errors.push({ field: at("answerFileUrl"), message: `required for ${parameters.answerFile}` });
  }
  if (parameters.entries) {
    errors.push({ field: at("entries"), message: "netboot only: the ISO boots its installer" });
  }
  return errors;
}

function answerArgs(parameters: Parameters): string[] {
  const url = parameters.answerFileUrl as string | undefined;
  return url ? answerFileArgs[parameters.answerFile as string](url) : [];
}

function netbootConfigOf(parameters: Parameters): string {
  const { entries } = parseEntries(parameters.entries as string);
  const serial = parameters.serial as SerialConsole;
  return netbootConfig({
    entries,
    defaultLabel: (parameters.defaultEntry as string | undefined) ?? entries[0].label,
    timeout: Number(parameters.timeout),
    serial,
    source: {
      protocol: parameters.protocol as NetSource["protocol"],
      server: parameters.server as string | undefined,
    },
    extraArgs: [
      ...answerArgs(parameters),
      ...splitArgs((parameters.kernelArgs as string | undefined) ?? ""),
      ...consoleArgs(serial),
    ],
  });
}

function isoConfigOf(parameters: Parameters): string {
  const serial = parameters.serial as SerialConsole;
  return isoConfig({
    kernel: parameters.kernel as string,
    initrd: parameters.initrd as string,
    timeout: Number(parameters.timeout),
    serial,
    args: [
      ...answerArgs(parameters),
      ...splitArgs((parameters.kernelArgs as string | undefined) ?? ""),
      ...consoleArgs(serial),
    ],
  });
}
