// The gloeth release the service deploys, read from its folder and checked (every archive hashed) once
// per change of the folder's SHA256SUMS, not on every look: the settings page asks often.
import { type GloethRelease, readGloethRelease } from "../deploy/gloeth/release.ts";

export class ReleaseCache {
  #stamp = "";
  #release: Promise<GloethRelease> | undefined;

  constructor(readonly dir: string) {}

  /** The release, or an error saying why there is none (no folder, no SHA256SUMS, a damaged archive). */
  async read(): Promise<GloethRelease> {
    let stamp: string;
    try {
      const info = await Deno.stat(`${this.dir}/SHA256SUMS`);
      stamp = `${info.mtime?.getTime()}:${info.size}:${info.ino}`;
    } catch (error) {
      this.#release = undefined;
      throw new Error(
        `no gloeth release in ${this.dir} (make one with \`deno task release\`): ${(error as Error).message}`,
      );
    }
    if (!this.#release || stamp !== this.#stamp) {
      this.#stamp = stamp;
      this.#release = readGloethRelease(this.dir);
      // A failed read is tried again next time rather than remembered.
      this.#release.catch(() => this.#release = undefined);
    }
    return await this.#release;
  }
}
