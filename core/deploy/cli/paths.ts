// Where a deployer keeps its things on a workstation, as other tools do (XDG base directories): the
// known-hosts file under the config folder, the controller's state under the data folder, unpacked
// release archives under the cache folder.
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";

type Env = Record<string, string | undefined>;

function home(env: Env): string {
  return env.HOME || homedir();
}

/** $XDG_CONFIG_HOME/ctpf, else ~/.config/ctpf. */
export function ctpfConfigDir(env: Env): string {
  return join(env.XDG_CONFIG_HOME || join(home(env), ".config"), "ctpf");
}

/** $XDG_DATA_HOME/ctpf, else ~/.local/share/ctpf (the services' default data folder too). */
export function ctpfDataDir(env: Env): string {
  return join(env.XDG_DATA_HOME || join(home(env), ".local", "share"), "ctpf");
}

/** $XDG_CACHE_HOME/ctpf, else ~/.cache/ctpf. */
export function ctpfCacheDir(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(home(env), ".cache"), "ctpf");
}

/** The deployers' own known_hosts (both deployers share it: a host's key is the host's, whoever asks). */
export function defaultKnownHostsPath(env: Env): string {
  return join(ctpfConfigDir(env), "known_hosts");
}

/** The user's ssh_config, which the deployers read like ssh does when it exists. */
export function defaultSshConfigPath(env: Env): string {
  return join(home(env), ".ssh", "config");
}

/**
 * Makes the known-hosts file if absent: 0600 in a 0700 folder (it names every host the deployers reach).
 * An existing file is left as it is; the store tightens it when it first writes.
 */
export async function prepareKnownHostsFile(path: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const file = await Deno.open(path, { createNew: true, write: true, mode: 0o600 });
    file.close();
    await Deno.chmod(path, 0o600); // the umask may have taken bits off, never added: made exact
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}

/**
 * A deployer command's state for one inventory when none is named: $XDG_DATA_HOME/ctpf/<command>/<the
 * inventory file's name>-<8 hex of the SHA-256 of its absolute path>. The name alone would let
 * lab/inventory.json and prod/inventory.json share one folder: one network key certifying both meshes, one
 * applied.json revoking the other's nodes, one cluster token.
 */
export function inventoryStateDir(
  env: Env,
  command: string,
  inventoryPath: string,
  fallback: string,
): string {
  const absolute = resolve(inventoryPath);
  const name = basename(absolute, extname(absolute)) || fallback;
  const pathDigest = createHash("sha256").update(absolute).digest("hex").slice(0, 8);
  return join(ctpfDataDir(env), command, `${name}-${pathDigest}`);
}
