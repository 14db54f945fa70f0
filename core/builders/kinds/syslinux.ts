// syslinux: SYSLINUX for amd64 BIOS machines. "pxe" publishes a pxelinux tree (pxelinux.0, its modules,
// pxelinux.cfg/default with the given menu) that bofied serves over TFTP; "iso" remasters an installer ISO
// into a hybrid ISOLINUX ISO (CD or disk) whose default entry starts the installer with an answer-file URL.
import type { FieldError } from "../../errors/field_errors.ts";
import { type BuilderKind, type Parameters, withArtifactStage } from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { buildNameField, kernelArgsField, menuTitleField, timeoutField, urlField } from "./boot_fields.ts";
import { BIOS_MODULES_DIR, type Menu, MENU_MODULES, menuConfig, parseEntries } from "./syslinux/menu.ts";

const encoder = new TextEncoder();

/** How each installer family is told where its answer file is. */
const answerFileArgs: Record<string, (url: string) => string> = {
  // Debian / Ubuntu's debian-installer: no questions below "critical", the preseed file from the URL.
  preseed: (url) => `auto=true priority=critical preseed/url=${url}`,
  // Fedora, RHEL and derivatives (anaconda).
  kickstart: (url) => `inst.ks=${url}`,
  // Ubuntu Server's subiquity: a NoCloud seed folder (user-data, meta-data) at the URL.
  autoinstall: (url) => `autoinstall ds=nocloud-net;s=${url}`,
};

/** Where the installer's files are in the ISO: an ISO 9660 path without "..". */
const isoPathPattern = /^\/?[A-Za-z0-9_+-][A-Za-z0-9._+-]*(\/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)*$/;
const isoPathHint = 'a path inside the ISO of letters, digits and . _ + - (no "..")';

export const syslinuxKind = {
  name: "syslinux",
  title: "SYSLINUX",
  description: "pxelinux menus over TFTP, and installer ISOs remastered to install on their own (amd64 BIOS)",
  baseImages: [BOOT_TOOLS],
  fields: [
    buildNameField("the folder under builds/ in bofied's boot tree the pxelinux tree and the ISO go to"),
    {
      name: "targets",
      title: "Targets",
      description: "pxe: a pxelinux menu for network boot; iso: a remastered installer ISO",
      type: "choices",
      choices: ["pxe", "iso"],
      default: ["pxe"],
    },
    menuTitleField("the title the boot menu shows"),
    timeoutField(5),
    {
      name: "entries",
      title: "Menu entries (pxe)",
      description: "one a line: label|kernel|initrd|append; paths relative to the menu's folder, " +
        "or from the TFTP root when they start with ::",
      type: "text",
      maxLength: 20_000,
      // Checked line by line in check(); here only that nothing but printable ASCII and line breaks hides.
      pattern: /^[ -~\r\n]*$/,
      patternHint: "lines of printable text",
    },
    {
      name: "defaultEntry",
      title: "Default entry (pxe)",
      description: "the label booted when the timeout ends; the first entry when empty",
      type: "string",
      pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
      patternHint: "the label of one of the entries",
    },
    urlField("isoUrl", "Installer ISO URL (iso)", "the installer ISO to remaster"),
    {
      name: "kernelPath",
      title: "Kernel in the ISO (iso)",
      description: "the installer's kernel inside the ISO",
      type: "string",
      default: "install.amd/vmlinuz",
      pattern: isoPathPattern,
      patternHint: isoPathHint,
    },
    {
      name: "initrdPath",
      title: "Initrd in the ISO (iso)",
      description: "the installer's initrd inside the ISO",
      type: "string",
      default: "install.amd/initrd.gz",
      pattern: isoPathPattern,
      patternHint: isoPathHint,
    },
    {
      name: "answerFile",
      title: "Answer file kind (iso)",
      description: "preseed (Debian), kickstart (Fedora/RHEL), autoinstall (Ubuntu, a NoCloud seed folder)",
      type: "choice",
      choices: Object.keys(answerFileArgs),
      default: "preseed",
    },
    urlField("answerFileUrl", "Answer file URL (iso)", "where the installer fetches its answers"),
    kernelArgsField("kernelArgs", "Extra kernel arguments (iso)", "appended to the installer's command line"),
  ],
  check(parameters: Parameters): FieldError[] {
    const targets = parameters.targets as string[];
    const errors: FieldError[] = [];
    if (targets.includes("pxe")) {
      if (!parameters.entries) {
        errors.push({ field: "parameters.entries", message: "required for the pxe target" });
      } else {
        const { entries, errors: entryErrors } = parseEntries(
          parameters.entries as string,
          "parameters.entries",
        );
        errors.push(...entryErrors);
        const wanted = parameters.defaultEntry;
        if (entryErrors.length === 0 && wanted && !entries.some((entry) => entry.label === wanted)) {
          errors.push({ field: "parameters.defaultEntry", message: `no entry is labelled ${wanted}` });
        }
      }
    }
    if (targets.includes("iso")) {
      for (const name of ["isoUrl", "answerFileUrl"]) {
        if (!parameters[name]) {
          errors.push({ field: `parameters.${name}`, message: "required for the iso target" });
        }
      }
      const url = parameters.answerFileUrl as string | undefined;
      if (parameters.answerFile === "autoinstall" && url && !url.endsWith("/")) {
        errors.push({
          field: "parameters.answerFileUrl",
          message: "autoinstall takes a NoCloud seed folder: end the URL with /",
        });
      }
    }
    return errors;
  },
  template(parameters: Parameters) {
    const targets = parameters.targets as string[];
    const name = parameters.name as string;
    const stages: string[] = [];
    const files: { name: string; content: Uint8Array }[] = [];
    const modules = MENU_MODULES.map((module) => `${BIOS_MODULES_DIR}/${module}`).join(" ");
    if (targets.includes("pxe")) {
      files.push({
        name: "pxelinux.cfg",
        content: encoder.encode(menuConfig(pxeMenu(parameters), "syslinux")),
      });
      stages.push(
        `FROM ${BOOT_TOOLS.tag} AS pxe`,
        "COPY pxelinux.cfg /out/pxelinux.cfg/default",
        `RUN cp /usr/lib/PXELINUX/pxelinux.0 ${modules} /out/ && ls -lR /out`,
      );
    }
    if (targets.includes("iso")) {
      files.push({
        name: "isolinux.cfg",
        content: encoder.encode(menuConfig(isoMenu(parameters), "syslinux")),
      });
      stages.push(
        `FROM ${BOOT_TOOLS.tag} AS iso`,
        `ADD ${parameters.isoUrl} /in/installer.iso`,
        "COPY isolinux.cfg /work/isolinux/isolinux.cfg",
        `RUN mkdir -p /out && cp /usr/lib/ISOLINUX/isolinux.bin ${modules} /work/isolinux/ && ${
          remasterCommand(`/out/${name}.iso`)
        }`,
      );
    }
    const dockerfile = withArtifactStage(stages, targets);
    return { dockerfile, files };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
} satisfies BuilderKind;

function pxeMenu(parameters: Parameters): Menu {
  const { entries } = parseEntries(parameters.entries as string, "parameters.entries");
  return {
    title: parameters.title as string,
    timeoutSeconds: Number(parameters.timeout),
    defaultLabel: (parameters.defaultEntry as string | undefined) ?? entries[0].label,
    entries,
  };
}

/** The installer twice: automatic with its answer file (the default), and by hand as a way out. */
function isoMenu(parameters: Parameters): Menu {
  const absolute = (path: string) => path.startsWith("/") ? path : `/${path}`;
  const kernel = absolute(parameters.kernelPath as string);
  const initrd = absolute(parameters.initrdPath as string);
  const extra = (parameters.kernelArgs as string | undefined) ?? "";
  const answers = answerFileArgs[parameters.answerFile as string](parameters.answerFileUrl as string);
  return {
    title: parameters.title as string,
    timeoutSeconds: Number(parameters.timeout),
    defaultLabel: "auto",
    entries: [
      { label: "auto", title: "Automatic install", kernel, initrd, append: `${answers} ${extra}`.trim() },
      { label: "manual", title: "Install by hand", kernel, initrd, append: extra || undefined },
    ],
  };
}

/**
 * xorriso keeps the installer's files and puts ours in place of its ISOLINUX folders (so no other
 * isolinux.cfg is found first); its old boot records go and ISOLINUX becomes the El Torito boot image,
 * with the isohybrid MBR so the same file also boots written to a disk or USB stick. The missing-folder
 * complaint of -rm_r (severity SORRY) is not a failure.
 */
function remasterCommand(output: string): string {
  return [
    "xorriso -return_with FAILURE 32 -indev /in/installer.iso",
    `-outdev ${output}`,
    "-rm_r /isolinux /boot/isolinux --",
    "-map /work/isolinux /isolinux",
    "-boot_image any discard",
    "-boot_image isolinux dir=/isolinux",
    "-boot_image isolinux system_area=/usr/lib/ISOLINUX/isohdpfx.bin",
    "-boot_image isolinux partition_table=on",
  ].join(" ");
}
