// The cluster token on the controller: made once (random, 0600 in a 0700 folder) and then only ever
// read, so adding a node or upgrading k3s reuses the token the cluster was made with. Nothing here
// returns or prints the token; the executor reads the file when it writes the host's copy.
import { InputError } from "../../errors/input_error.ts";

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Makes the token file when absent; checks an existing one is private and holds one token line. */
export async function ensureClusterToken(path: string): Promise<{ created: boolean }> {
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (info) {
    if (!info.isFile) throw new InputError("tokenFile", `${path} is not a file`, "precondition");
    const mode = info.mode! & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new InputError(
        "tokenFile",
        `${path} can be read by others (mode ${mode.toString(8)}): chmod 600 it`,
        "precondition",
      );
    }
    const text = await Deno.readTextFile(path);
    if (!/^[\x21-\x7e]+\n?$/.test(text)) {
      throw new InputError(
        "tokenFile",
        `${path} must hold one token of printable characters`,
        "precondition",
      );
    }
    return { created: false };
  }
  const folder = path.slice(0, path.lastIndexOf("/")) || "/";
  await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
  // createNew: two runs racing never overwrite each other's token.
  await Deno.writeTextFile(path, randomToken() + "\n", { mode: 0o600, createNew: true });
  await Deno.chmod(path, 0o600);
  return { created: true };
}
