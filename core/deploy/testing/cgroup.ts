// A cgroup of its own for each test machine. With --keep-unit and no systemd on the test machine to
// ask for a scope, nspawn leaves the container in the cgroup it was started in, and every container's
// systemd would take that same cgroup (the root, here) for its own: they then build and tear down one
// shared system.slice (units failed to attach at boot, and stopping a unit in one host could reach
// another's processes). Each machine is started inside a fresh cgroup in every hierarchy systemd uses,
// removed again when the machine is gone.
import { isAlive } from "../../testing/harness/mod.ts";
import { join } from "node:path";
import { pathExistsSync } from "../../runtime/path_exists.ts";

const ROOT = "/sys/fs/cgroup";

/** The hierarchies a container's systemd uses here: the unified one, or name=systemd (and unified) in hybrid mode. */
function hierarchies(): string[] {
  if (pathExistsSync(join(ROOT, "cgroup.controllers"))) return [ROOT];
  return [join(ROOT, "systemd"), join(ROOT, "unified")].filter((path) =>
    pathExistsSync(join(path, "cgroup.procs"))
  );
}

export class MachineCgroup {
  readonly paths: string[];

  private constructor(paths: string[]) {
    this.paths = paths;
  }

  static async create(name: string): Promise<MachineCgroup> {
    await sweepStale();
    const leaf = `ctpf-test-${Deno.pid}-${name}-${crypto.randomUUID().slice(0, 8)}`;
    const paths = hierarchies().map((hierarchy) => join(hierarchy, leaf));
    if (paths.length === 0) throw new Error(`no cgroup hierarchy for systemd under ${ROOT}`);
    for (const path of paths) await Deno.mkdir(path);
    return new MachineCgroup(paths);
  }

  /** `command`, run from inside the cgroup (a shell moves itself in, then execs it). */
  wrap(command: string[]): string[] {
    const script =
      'while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" || exit 97; shift; done; shift; exec "$@"';
    return ["sh", "-c", script, "sh", ...this.paths, "--", ...command];
  }

  /** Removes the cgroups (innermost first); they must be empty, so after the machine has stopped. */
  async remove(): Promise<void> {
    for (const path of this.paths) await removeTree(path);
  }
}

/** Cgroups left by test runs that were killed (their PID is gone); one still in use stays. */
async function sweepStale(): Promise<void> {
  for (const hierarchy of hierarchies()) {
    for await (const entry of Deno.readDir(hierarchy)) {
      const owner = /^ctpf-test-(\d+)-/.exec(entry.name);
      if (!entry.isDirectory || !owner || Number(owner[1]) === Deno.pid || isAlive(Number(owner[1]))) {
        continue;
      }
      await removeTree(join(hierarchy, entry.name)).catch(() => {/* a machine still runs in it */});
    }
  }
}

async function removeTree(path: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory) await removeTree(join(path, entry.name));
    }
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
