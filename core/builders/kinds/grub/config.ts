// The grub.cfg the grub builder embeds in its images. Every value from the parameters ends up in single
// quotes (GRUB expands nothing there) or is a path of plain characters, and the parameter patterns keep
// quotes, backslashes and line breaks out, so no parameter can add a command to the configuration.

/** The kernel arguments that hand an installer its answer file, by installer family. */
export const answerFileArgs: Record<string, (url: string) => string[]> = {
  preseed: (url) => ["auto=true", "priority=critical", `preseed/url=${url}`],
  autoinstall: (url) => ["autoinstall", `ds=nocloud-net;s=${url}`],
  kickstart: (url) => [`inst.ks=${url}`],
  none: () => [],
};

/** One menu entry of a netboot image: paths as the boot server has them (TFTP root or HTTP path). */
export interface MenuEntry {
  label: string;
  kernel: string;
  initrd?: string;
  args: string[];
}

/** Where the netboot image fetches kernels from: `server` unset means the DHCP answer's next server. */
export interface NetSource {
  protocol: "tftp" | "http";
  server?: string;
}

/** A serial port GRUB and the kernel use as a console beside the screen, or none. */
export type SerialConsole = "ttyS0" | "ttyS1" | "none";

/** Entry separator and field separator of the `entries` parameter: "label|kernel|initrd|args; …". */
export const ENTRY_SEPARATOR = ";";
export const FIELD_SEPARATOR = "|";

/** The shapes of an entry's fields (each checked whole). */
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._()+:,\/-]{0,63}$/;
/** A relative path of plain segments: no `..`, no leading slash, nothing GRUB would expand. */
export const PATH_PATTERN = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/;
/** Text without quotes, backslashes or control characters (line breaks among them). */
export const PLAIN_TEXT_PATTERN = /^[^'"\\\p{Cc}]*$/u;
/** An entry's kernel arguments: plain text without the entries' separators either. */
export const ENTRY_ARGS_PATTERN = /^[^'"\\;|\p{Cc}]*$/u;

export type ParsedEntries = { entries: MenuEntry[]; errors: string[] };

/** The `entries` parameter read as menu entries; each wrong part named by its entry's number. */
export function parseEntries(text: string): ParsedEntries {
  const entries: MenuEntry[] = [];
  const errors: string[] = [];
  const parts = text.split(ENTRY_SEPARATOR).map((part) => part.trim());
  parts.forEach((part, i) => {
    const at = `entry ${i + 1}`;
    if (part === "" && i === parts.length - 1 && i > 0) return; // a trailing separator
    const [label = "", kernel = "", initrd = "", args = "", ...extra] = part.split(FIELD_SEPARATOR)
      .map((field) => field.trim());
    if (extra.length) return errors.push(`${at}: at most 4 fields (label|kernel|initrd|args)`);
    if (!LABEL_PATTERN.test(label)) {
      return errors.push(`${at}: the label must be 1–64 letters, digits, spaces or ._()+:,/- characters`);
    }
    if (entries.some((entry) => entry.label === label)) return errors.push(`${at}: label ${label} is taken`);
    if (!PATH_PATTERN.test(kernel)) return errors.push(`${at}: the kernel must be a relative path`);
    if (initrd !== "" && !PATH_PATTERN.test(initrd)) {
      return errors.push(`${at}: the initrd must be a relative path (or empty)`);
    }
    if (!ENTRY_ARGS_PATTERN.test(args)) {
      return errors.push(`${at}: arguments may not hold quotes, backslashes, ; or |`);
    }
    entries.push({ label, kernel, initrd: initrd || undefined, args: splitArgs(args) });
  });
  if (entries.length === 0 && errors.length === 0) errors.push("at least one entry is needed");
  return { entries, errors };
}

export function splitArgs(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== "");
}

/** GRUB's single quotes: nothing inside is expanded (the patterns keep quotes out of every value). */
function quote(word: string): string {
  if (word.includes("'")) throw new Error(`a quote in ${word} (the parameter patterns forbid it)`);
  return `'${word}'`;
}

/** The kernel arguments a serial console adds: the serial port last, so it is /dev/console. */
export function consoleArgs(serial: SerialConsole): string[] {
  return serial === "none" ? [] : ["console=tty0", `console=${serial},115200n8`];
}

function terminalLines(serial: SerialConsole): string[] {
  if (serial === "none") return [];
  return [
    `serial --unit=${serial === "ttyS0" ? 0 : 1} --speed=115200`,
    "terminal_input serial console",
    "terminal_output serial console",
  ];
}

function entryLines(id: string, label: string, kernel: string, initrd: string | undefined, args: string[]) {
  return [
    `menuentry ${quote(label)} --id ${quote(id)} {`,
    `  echo ${quote(`CTPF: loading ${label}`)}`,
    `  linux ${kernel} ${args.map(quote).join(" ")}`.trimEnd(),
    ...(initrd ? [`  initrd ${initrd}`] : []),
    "}",
  ];
}

/** The netboot image's configuration: a menu whose entries fetch kernel and initrd from the boot server. */
export function netbootConfig(options: {
  entries: MenuEntry[];
  defaultLabel: string;
  timeout: number;
  serial: SerialConsole;
  source: NetSource;
  extraArgs: string[];
}): string {
  const device = `(${options.source.protocol},$ctpf_server)`;
  const defaultIndex = options.entries.findIndex((entry) => entry.label === options.defaultLabel);
  return [
    "# Generated by CTPF's grub builder (netboot).",
    ...terminalLines(options.serial),
    "insmod all_video",
    `set timeout=${options.timeout}`,
    `set default=${quote(`entry-${defaultIndex + 1}`)}`,
    // Menu entries see exported variables only.
    options.source.server
      ? `set ctpf_server=${quote(options.source.server)}`
      : 'set ctpf_server="$net_default_server"',
    "export ctpf_server",
    'if [ -z "$ctpf_server" ]; then',
    "  echo 'CTPF: no boot server known (the DHCP answer named no next server): set the server parameter'",
    "fi",
    // Behind a proxyDHCP the DHCP answer's next server is the DHCP server's, not the boot server: say
    // which one is used, so a timeout on the console points at the server parameter.
    `echo "CTPF: kernels from ${device}"`,
    ...options.entries.flatMap((entry, i) =>
      entryLines(
        `entry-${i + 1}`,
        entry.label,
        `${device}/${entry.kernel}`,
        entry.initrd && `${device}/${entry.initrd}`,
        [...entry.args, ...options.extraArgs],
      )
    ),
    "",
  ].join("\n");
}

/** The remastered ISO's configuration: find the ISO's file system, boot its installer with the arguments. */
export function isoConfig(options: {
  kernel: string;
  initrd: string;
  timeout: number;
  serial: SerialConsole;
  args: string[];
}): string {
  return [
    "# Generated by CTPF's grub builder (iso).",
    ...terminalLines(options.serial),
    "insmod all_video",
    `set timeout=${options.timeout}`,
    "set default='install'",
    `if search --no-floppy --file --set=root /${options.kernel}; then`,
    '  echo "CTPF: installer found on $root"',
    "else",
    `  echo ${quote(`CTPF: /${options.kernel} is on no disk`)}`,
    "fi",
    ...entryLines("install", "Automatic install", `/${options.kernel}`, `/${options.initrd}`, options.args),
    "",
  ].join("\n");
}
