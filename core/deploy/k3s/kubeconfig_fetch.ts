// The admin kubeconfig brought from the first server to the controller: read over SSH once the server
// has written it (it holds the admin's client key, so the command's output never reaches a log),
// rewritten for the first server's overlay address (rewriteKubeconfig), and kept 0600.
import { dirname } from "node:path";
import { SshError } from "../ssh/errors.ts";
import { shellQuote } from "../ssh/shell.ts";
import type { Target } from "../ssh/target.ts";

/** k3s writes the file while starting; a server that is up has written it. */
const WAIT_SECONDS = 60;

export async function readRemoteKubeconfig(target: Target, path: string): Promise<string> {
  const quoted = shellQuote(path);
  target.connection.log(`read ${path} (the admin kubeconfig, not logged)`);
  const result = await target.connection.exec(
    `i=0; while [ ! -s ${quoted} ] && [ $i -lt ${WAIT_SECONDS} ]; do sleep 1; i=$((i + 1)); done; cat ${quoted}`,
    { check: false, quiet: true, timeoutMs: (WAIT_SECONDS + 15) * 1000 },
  );
  if (result.code !== 0 || result.stdout.trim() === "") {
    throw new SshError("command", target.name, `no kubeconfig at ${path} within ${WAIT_SECONDS} s`);
  }
  return result.stdout;
}

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
