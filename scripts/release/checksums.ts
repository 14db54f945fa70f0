// SHA256SUMS beside the artifacts, in the format `sha256sum -c` checks (hash, two spaces, file name).

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** One line per file, sorted by name; names are plain file names in the same folder. */
export function sha256Sums(sums: Map<string, string>): string {
  return [...sums].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([file, hash]) => {
      if (file.includes("/") || file.includes("\n")) throw new Error(`not a plain file name: ${file}`);
      return `${hash}  ${file}\n`;
    })
    .join("");
}

/**
 * The entries of a SHA256SUMS file (file name to lower-case hex hash), for a deployer that checks an
 * archive before and after uploading it. Lines that are not "<64 hex>  <plain name>" (or sha256sum's
 * binary-mode "<64 hex> *<name>") are refused, not skipped, so a damaged file cannot drop an entry unseen.
 */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const match = /^([0-9a-fA-F]{64}) [ *]([^/]+)$/.exec(line);
    if (!match) throw new Error(`not a SHA256SUMS line: ${JSON.stringify(line.slice(0, 120))}`);
    sums.set(match[2], match[1].toLowerCase());
  }
  return sums;
}
