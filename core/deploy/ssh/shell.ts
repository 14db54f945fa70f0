// Commands sent over SSH go through the remote user's shell: every value put into one is quoted.

/** A POSIX shell word that stands for exactly `value`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function shellCommand(argv: string[]): string {
  return argv.map(shellQuote).join(" ");
}
