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
