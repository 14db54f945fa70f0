function keyOf(path: string, info: Deno.FileInfo): string {
  return `${path}\x00${info.size}\x00${info.mtime?.getTime() ?? 0}`;
}

interface Entry {
  key: string;
  bytes: Uint8Array;
  /** Clock value of the last hit; the least recently used entries go first when over budget. */
  used: number;
  evicted: boolean;
}

/**
 * Boot files are small and many machines fetch the same ones at once: transfers (TFTP, HTTP) share one
 * in-memory copy per (path, size, mtime), within a byte budget, least recently used dropped first. A
 * file changed on disk gets a new key, so a transfer never mixes versions.
 */
export class FileCache {
  readonly #entries = new Map<string, Entry>();
  // Callers that reuse a stat result (bofied's HTTP lookups) find their entry without building the key.
  readonly #byStat = new WeakMap<Deno.FileInfo, Entry>();
  readonly #reading = new Map<string, Promise<Uint8Array>>();
  #bytes = 0;
  #clock = 0;

  constructor(private readonly budgetBytes: number, private readonly maxFileBytes: number) {}

  /** The cached content, if this version of the file is cached; never touches the disk. */
  peek(path: string, info: Deno.FileInfo): Uint8Array | undefined {
    let entry = this.#byStat.get(info);
    if (!entry || entry.evicted) {
      entry = this.#entries.get(keyOf(path, info));
      if (!entry) return undefined;
      this.#byStat.set(info, entry);
    }
    entry.used = ++this.#clock;
    return entry.bytes;
  }

  /** The content, from memory or read once: concurrent reads of the same version share one read. */
  read(path: string, info: Deno.FileInfo): Promise<Uint8Array> {
    const cached = this.peek(path, info);
    if (cached) return Promise.resolve(cached);
    const key = keyOf(path, info);
    let reading = this.#reading.get(key);
    if (!reading) {
      reading = this.#readAndKeep(path, info).finally(() => this.#reading.delete(key));
      this.#reading.set(key, reading);
    }
    return reading;
  }

  async #readAndKeep(path: string, info: Deno.FileInfo): Promise<Uint8Array> {
    const bytes = await Deno.readFile(path);
    if (bytes.length > this.maxFileBytes) return bytes;
    const key = keyOf(path, info);
    const previous = this.#entries.get(key);
    if (previous) return previous.bytes; // another reader filled it meanwhile
    const entry = { key, bytes, used: ++this.#clock, evicted: false };
    this.#entries.set(key, entry);
    this.#byStat.set(info, entry);
    this.#bytes += bytes.length;
    if (this.#bytes > this.budgetBytes) this.#evict();
    return bytes;
  }

  #evict(): void {
    const byAge = [...this.#entries.values()].sort((a, b) => a.used - b.used);
    for (const entry of byAge) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#entries.delete(entry.key);
      entry.evicted = true;
      this.#bytes -= entry.bytes.length;
    }
  }
}
