// grub: GRUB with an embedded grub.cfg, from Debian's GRUB in the boot-tools image. "netboot" makes
// standalone network loaders (grubx64.efi for amd64 UEFI, core.0 for BIOS PXE) whose menu boots kernels
// from the boot server; "iso" remasters an installer ISO into one that boots on UEFI straight into the
// installer with the answer-file URL on its command line, for fully automatic installs.
import type { FieldError } from "../../errors/field_errors.ts";
import { type BuilderKind, type Parameters, withArtifactStage } from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { isoScript, netbootScript, type NetbootTarget } from "./grub/build_script.ts";
import {
  answerFileArgs,
  consoleArgs,
  isoConfig,
  netbootConfig,
  type NetSource,
  parseEntries,
  type SerialConsole,
  splitArgs,
} from "./grub/config.ts";
import { grubFields } from "./grub/fields.ts";

const encoder = new TextEncoder();

export const grubKind = {
  name: "grub",
  title: "GRUB",
  description: "GRUB network loaders with a menu (UEFI and BIOS), and installer ISOs remastered for " +
    "automatic UEFI installs",
  baseImages: [BOOT_TOOLS],
  fields: grubFields,
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
      dockerfile: withArtifactStage([
        `FROM ${BOOT_TOOLS.tag} AS build`,
        // The ISO first: a changed configuration does not fetch or copy it again.
        ...(iso ? [`ADD ${parameters.isoUrl} /in/installer.iso`] : []),
        "COPY grub.cfg build.sh /work/",
        "RUN sh /work/build.sh",
      ]),
      files: [
        { name: "grub.cfg", content: encoder.encode(config) },
        { name: "build.sh", content: encoder.encode(script) },
      ],
    };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
} satisfies BuilderKind;

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
  if (!(parameters.targets as string[] | undefined)?.length) {
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
