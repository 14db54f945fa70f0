import { type FileVersion, pathVersion, sameVersion } from "../sys/fstat.ts";
import { cString } from "../sys/libc.ts";

// A version is the inode, the size and both times to the nanosecond (stat(2), not Deno.FileInfo, whose
// ctime has whole seconds): a file replaced by one of the same size with its mtime kept (rclone, rsync
// -t, cp -p) is a new inode, and an in-place rewrite moves the inode change time, which no writer sets.
function keyOf(path: string, version: FileVersion): string {
  return `${path}\x00${version.dev}\x00${version.ino}\x00${version.size}\x00${version.mtimeNs}\x00${version.ctimeNs}`;
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
 * in-memory copy per version (path, inode, size, times), within a byte budget, least recently used dropped first. A
 * file changed on disk gets a new key, so a transfer never mixes versions.
 */
export class FileCache {
  readonly #entries = new Map<string, Entry>();
  // Callers that reuse a stat result (bofied's HTTP lookups) find their entry without building the key.
  readonly #byVersion = new WeakMap<FileVersion, Entry>();
  readonly #reading = new Map<string, Promise<Uint8Array>>();
  #bytes = 0;
  #clock = 0;

  constructor(private readonly budgetBytes: number, private readonly maxFileBytes: number) {}

  /** The cached content, if this version of the file is cached; never touches the disk. */
  peek(path: string, version: FileVersion): Uint8Array | undefined {
    let entry = this.#byVersion.get(version);
    if (!entry || entry.evicted) {
      entry = this.#entries.get(keyOf(path, version));
      if (!entry) return undefined;
      this.#byVersion.set(version, entry);
    }
    entry.used = ++this.#clock;
    return entry.bytes;
  }

  /** The content, from memory or read once: concurrent reads of the same version share one read. */
  read(path: string, version: FileVersion): Promise<Uint8Array> {
    const cached = this.peek(path, version);
    if (cached) return Promise.resolve(cached);
    const key = keyOf(path, version);
    let reading = this.#reading.get(key);
    if (!reading) {
      reading = this.#readAndKeep(path, version).finally(() => this.#reading.delete(key));
      this.#reading.set(key, reading);
    }
    return reading;
  }

  async #readAndKeep(path: string, version: FileVersion): Promise<Uint8Array> {
    const bytes = await Deno.readFile(path);
    if (bytes.length > this.maxFileBytes) return bytes;
    // Kept only when the file is still the version asked for: one changed during the read is not.
    const after = pathVersion(cString(path));
    if (bytes.length !== version.size || !after || !sameVersion(after, version)) return bytes;
    const key = keyOf(path, version);
    const previous = this.#entries.get(key);
    if (previous) return previous.bytes; // another reader filled it meanwhile
    const entry = { key, bytes, used: ++this.#clock, evicted: false };
    this.#entries.set(key, entry);
    this.#byVersion.set(version, entry);
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
