// Where a deployer command's text goes, and the live lines: every host's log line printed as it happens,
// prefixed with the host's name (aligned, like Ansible's and k3sup's output), so hosts worked on at once
// stay readable. With --json, stdout holds only the JSON result and the live lines go to stderr.

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const consoleOutput: Output = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

export interface LiveOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

/** The executor stamps each line with an ISO time; shown only as the time of day, and only when verbose. */
const STAMP = /^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)\.\d+Z /;
/** The commands run and their exit statuses: detail for --verbose (a failure's message says what failed). */
const COMMAND_DETAIL = /^(\[via [^\]]+\] )*(\$ | {2}exit )/;

export class LivePrinter {
  readonly #options: LiveOptions;
  readonly #output: Output;
  #width = 0;

  constructor(options: LiveOptions, output: Output = consoleOutput) {
    this.#options = options;
    this.#output = output;
  }

  /** The hosts of the run, so their prefixes line up. */
  hosts(names: string[]): void {
    this.#width = Math.max(this.#width, ...names.map((name) => name.length));
  }

  #write(text: string): void {
    if (this.#options.quiet) return;
    if (this.#options.json) this.#output.err(text);
    else this.#output.out(text);
  }

  /** One host's log line (the executor's onLog). */
  line(host: string, line: string): void {
    const stamp = STAMP.exec(line);
    const text = stamp ? line.slice(stamp[0].length) : line;
    if (!this.#options.verbose && COMMAND_DETAIL.test(text)) return;
    const prefix = `${host.padEnd(this.#width)} | ${this.#options.verbose && stamp ? `${stamp[1]} ` : ""}`;
    for (const part of text.split("\n")) this.#write(prefix + part);
  }

  /** Lines about the run as a whole (the plan in words, the controller's steps). */
  note(...lines: string[]): void {
    for (const line of lines) this.#write(line);
  }

  /** The onLog callback for the executor. */
  get onLog(): (host: string, line: string) => void {
    return (host, line) => this.line(host, line);
  }
}
