// Parameters that end up on a U-Boot script's lines, shared by the kinds that write one (uboot, img): the
// patterns keep each value inside its line and, for the kernel command line, inside its double quotes.
import type { ParameterField } from "../../kind.ts";

/** A name under builds/ in bofied's tree (and the seed of an image's disk identifiers). */
export const nameField: ParameterField = {
  name: "name",
  title: "Name",
  description: "the folder under builds/ in bofied's boot tree the artifacts are published to",
  type: "string",
  required: true,
  pattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
  patternHint: "lower-case letters, digits and dashes, at most 40, starting with a letter or digit",
};

/** http(s) URLs without spaces or quotes; `${var}` is allowed, U-Boot expands it (e.g. `${serverip}`). */
export const urlPattern = /^https?:\/\/[A-Za-z0-9.\-\[\]:${}]+(\/[A-Za-z0-9._~\/%\-?=&:${},+]*)?$/;
export const urlHint = "an http:// or https:// URL without spaces or quotes";

/**
 * URLs a build fetches (Dockerfile ADD): as above but without `$`, `{` and `}`, which the Dockerfile
 * would take for its own variables.
 */
export const fetchUrlPattern = /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-?=&:,+]*)?$/;
export const fetchUrlHint = "an http:// or https:// URL without spaces, quotes, $ or braces";

export const consoleField: ParameterField = {
  name: "console",
  title: "Console",
  description: "the kernel's console= (ttyAMA0 on qemu's virt board and many SoCs, ttyS2 on Rockchip…)",
  type: "string",
  default: "ttyAMA0,115200",
  maxLength: 40,
  pattern: /^[A-Za-z][A-Za-z0-9]{0,19}(,[0-9]{1,8}[noe]?[5-8]?)?$/,
  patternHint: "a device and an optional speed, e.g. ttyAMA0,115200",
};

export const bootargsField: ParameterField = {
  name: "bootargs",
  title: "Kernel arguments",
  description: "more kernel command-line arguments (U-Boot expands ${variables} in them)",
  type: "string",
  maxLength: 1000,
  // Printable ASCII without `"` and `\`: the arguments stand inside one double-quoted setenv.
  pattern: /^[ !#-\[\]-~]*$/,
  patternHint: 'printable ASCII without " or \\',
};

export const answerUrlField: ParameterField = {
  name: "answerUrl",
  title: "Answer file URL",
  description: "the installer's answer file (preseed), passed as auto=true priority=critical url=<URL>",
  type: "string",
  maxLength: 500,
  pattern: urlPattern,
  patternHint: urlHint,
};

export const joinUrlField: ParameterField = {
  name: "joinUrl",
  secret: true,
  title: "Join URL",
  description: "where the installed node fetches its cluster join configuration, passed as ctpf.join=<URL>",
  type: "string",
  maxLength: 500,
  pattern: urlPattern,
  patternHint: urlHint,
};

/** The kernel command line the fields above make, in a fixed order. */
export function kernelArguments(
  parameters: { console?: string; bootargs?: string; answerUrl?: string; joinUrl?: string },
  extra: string[] = [],
): string {
  const args: string[] = [];
  if (parameters.console) args.push(`console=${parameters.console}`);
  args.push(...extra);
  if (parameters.bootargs) args.push(parameters.bootargs.trim());
  if (parameters.answerUrl) args.push("auto=true", "priority=critical", `url=${parameters.answerUrl}`);
  if (parameters.joinUrl) args.push(`ctpf.join=${parameters.joinUrl}`);
  return args.filter((arg) => arg !== "").join(" ");
}
