// The bytes of a planned file, read on the controller: text as is, the user's artifacts and the token
// file from the controller's disk, a release binary downloaded and checked (fetchVerified). Each source
// is read once per run however many hosts get it; a secret's bytes stay here and go to a host only as
// an upload's content.
import type { PlannedContent } from "./plan_types.ts";
import { fetchVerified } from "./release_download.ts";

export class ControllerContent {
  readonly #cache = new Map<string, Promise<Uint8Array>>();
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal = new AbortController().signal) {
    this.#signal = signal;
  }

  bytes(content: PlannedContent): Promise<Uint8Array> {
    if (content.kind === "text") return Promise.resolve(new TextEncoder().encode(content.text));
    const key = content.kind === "download" ? `download ${content.url}` : `file ${content.path}`;
    let bytes = this.#cache.get(key);
    if (!bytes) {
      bytes = content.kind === "download"
        ? fetchVerified(content, this.#signal)
        : Deno.readFile(content.path);
      // A failed read is not kept: the next host's step tries again and reports its own error.
      bytes.catch(() => this.#cache.delete(key));
      this.#cache.set(key, bytes);
    }
    return bytes;
  }
}
