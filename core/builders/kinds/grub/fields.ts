// The grub kind's parameters: their schema, each checked whole before anything runs (cross-field checks
// are the kind's check()).
import type { ParameterField } from "../../kind.ts";
import { netbootTargets } from "./build_script.ts";
import { answerFileArgs, PATH_PATTERN, PLAIN_TEXT_PATTERN } from "./config.ts";

// No whitespace, quotes, backslashes or $: URLs go into a Dockerfile line (which expands $) and into
// single-quoted GRUB words.
const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-?=&:+,;@!*()]*)?$/;
const URL_HINT = "an http:// or https:// URL without spaces, quotes, backslashes or $";
const PATH_HINT = "a relative path of letters, digits and ._+- (no .. segments)";

export const grubFields: ParameterField[] = [
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
];
