// Built files, stored by the SHA-256 of their bytes: two builds making the same file keep one copy, and a
// download's name can be checked against its content.
import { join } from "node:path";
const encodeHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

const SHA256 = /^[0-9a-f]{64}$/;

export class ArtifactStore {
  constructor(readonly dir: string) {}

  async put(content: Uint8Array): Promise<string> {
    const sha256 = encodeHex(
      new Uint8Array(await crypto.subtle.digest("SHA-256", content as Uint8Array<ArrayBuffer>)),
    );
    const path = this.path(sha256)!;
    try {
      await Deno.stat(path);
      return sha256;
    } catch { /* new content */ }
    await Deno.mkdir(this.dir, { recursive: true });
    const partial = `${path}.${crypto.randomUUID()}.partial`;
    await Deno.writeFile(partial, content, { mode: 0o644 });
    await Deno.rename(partial, path);
    return sha256;
  }

  /** The file of a digest, or undefined for anything that is not a digest (no path can be smuggled in). */
  path(sha256: string): string | undefined {
    return SHA256.test(sha256) ? join(this.dir, sha256) : undefined;
  }

  async read(sha256: string): Promise<Uint8Array | undefined> {
    const path = this.path(sha256);
    if (!path) return undefined;
    try {
      return await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    const path = this.path(sha256);
    if (path) await Deno.remove(path).catch(() => {});
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.dir)) if (SHA256.test(entry.name)) names.push(entry.name);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return names.sort();
  }
}
