// A file of the controller's that only its owner may read (the admin kubeconfig, the record of what was
// applied): 0600 in a folder made 0700, replaced whole so a reader never sees half of it.
import { dirname } from "node:path";

/** Writes `text` to `path` (0600, replaced whole); whether it differed from what was there. */
export async function writePrivateFile(path: string, text: string): Promise<boolean> {
  try {
    const [now, info] = await Promise.all([Deno.readTextFile(path), Deno.stat(path)]);
    if (now === text && (info.mode! & 0o777) === 0o600) return false;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(temporary, text, { mode: 0o600, createNew: true });
    await Deno.chmod(temporary, 0o600);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  return true;
}
