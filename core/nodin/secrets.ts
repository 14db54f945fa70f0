import { join } from "node:path";
import { InputError } from "../errors/input_error.ts";
import type { Credential } from "./power/driver.ts";

// A reference is a plain name: it can never climb out of the folder or name a hidden file.
const referencePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkCredentialRef(ref: string, field = "bmc.credential_ref"): string {
  if (!referencePattern.test(ref) || ref.includes("..")) {
    throw new InputError(field, "a credential reference is 1-64 letters, digits or . _ - (no path)");
  }
  return ref;
}

/**
 * BMC credentials, one JSON file each (mode 0600, in a 0700 folder under the data directory), named by
 * reference. Nodes and the API only ever hold the reference; the secret is read when a driver is made and
 * is never returned by the API.
 */
export class CredentialFiles {
  constructor(readonly dir: string) {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    Deno.chmodSync(dir, 0o700);
  }

  #path(ref: string): string {
    return join(this.dir, `${checkCredentialRef(ref)}.json`);
  }

  /** Writes the credential durably: a temporary file, then a rename, so a reader never sees half of it. */
  put(ref: string, credential: Credential): void {
    const path = this.#path(ref);
    const temporary = `${path}.tmp`;
    const text = JSON.stringify({
      username: credential.username ?? "",
      password: credential.password ?? "",
      extra: credential.extra ?? {},
    });
    Deno.writeTextFileSync(temporary, text, { mode: 0o600 });
    Deno.chmodSync(temporary, 0o600);
    Deno.renameSync(temporary, path);
  }

  get(ref: string): Credential | undefined {
    try {
      const stored = JSON.parse(Deno.readTextFileSync(this.#path(ref)));
      return {
        username: stored.username || undefined,
        password: stored.password || undefined,
        extra: stored.extra ?? {},
      };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  has(ref: string): boolean {
    try {
      return Deno.statSync(this.#path(ref)).isFile;
    } catch {
      return false;
    }
  }

  delete(ref: string): void {
    try {
      Deno.removeSync(this.#path(ref));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}
