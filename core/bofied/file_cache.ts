/**
 * Boot files are small and many machines fetch the same ones at once: transfers (TFTP, HTTP) share one
 * in-memory copy
 * per (path, size, mtime), within a byte budget, oldest dropped first. A file changed on disk gets a new
 * key, so a transfer never mixes versions.
 */
export class FileCache {
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(private readonly budgetBytes: number, private readonly maxFileBytes: number) {}

  async read(path: string, info: Deno.FileInfo): Promise<Uint8Array> {
    const key = `${path}\x00${info.size}\x00${info.mtime?.getTime() ?? 0}`;
    const cached = this.#entries.get(key);
    if (cached) {
      // Map order is insertion order: re-insert to mark as recently used.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    const bytes = await Deno.readFile(path);
    if (bytes.length > this.maxFileBytes) return bytes;
    this.#entries.set(key, bytes);
    this.#bytes += bytes.length;
    for (const [oldKey, oldBytes] of this.#entries) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#entries.delete(oldKey);
      this.#bytes -= oldBytes.length;
    }
    return bytes;
  }
}
