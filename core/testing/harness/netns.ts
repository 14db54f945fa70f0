import {
  addAddress,
  addBridge,
  addTap,
  disableIPv6,
  flushAddresses,
  macOf,
  routes,
  setMaster,
  setUp,
} from "./links.ts";
import { ownerPid, uniqueName } from "./names.ts";
import {
  BackgroundProcess,
  isAlive,
  run,
  type RunOptions,
  type RunResult,
  type SpawnOptions,
} from "./process.ts";

const NETNS_DIR = "/var/run/netns";

/** Creates a network namespace with its loopback up; the name defaults to a unique "ctpf-t-…". */
export async function createNetns(wanted?: string): Promise<string> {
  let name = wanted ?? uniqueName();
  // A generated name can still meet a parallel worker's (random tags collide rarely): take another.
  for (let attempt = 1;; attempt++) {
    const added = await run(["ip", "netns", "add", name], { check: wanted !== undefined || attempt === 5 });
    if (added.success) break;
    name = uniqueName();
  }
  try {
    await run(["ip", "-n", name, "link", "set", "lo", "up"]);
  } catch (error) {
    await deleteNetns(name);
    throw error;
  }
  return name;
}

/**
 * Deletes a namespace by name; a missing one is fine. Its veths, bridges and TAPs go with it once no
 * process runs inside and no socket created inside stays open.
 */
export async function deleteNetns(name: string): Promise<void> {
  const result = await run(["ip", "netns", "delete", name], { check: false });
  if (!result.success && (await listNetns()).includes(name)) {
    throw new Error(`ip netns delete ${name} failed: ${result.stderr.trim()}`);
  }
}

/** Names of the namespaces under /var/run/netns. */
export async function listNetns(): Promise<string[]> {
  const { stdout } = await run(["ip", "netns", "list"]);
  return stdout.split("\n").map((line) => line.trim().split(" ")[0]).filter((name) => name !== "");
}

/**
 * Deletes test namespaces left behind by test processes that no longer run (killed mid-test), and
 * returns their names. Namespaces of live processes are never touched.
 */
export async function sweepStaleNetns(): Promise<string[]> {
  const stale = (await listNetns()).filter((name) => {
    const pid = ownerPid(name);
    return pid !== undefined && pid !== Deno.pid && !isAlive(pid);
  });
  for (const name of stale) await deleteNetns(name);
  return stale;
}

/** A test namespace and the things tests do in it. */
export class Netns {
  readonly name: string;
  readonly #onSpawn: (process: BackgroundProcess) => void;

  constructor(name: string, onSpawn: (process: BackgroundProcess) => void = () => {}) {
    this.name = name;
    this.#onSpawn = onSpawn;
  }

  /** /var/run/netns/NAME, for setns() (core/sys withNetns takes the name too). */
  get path(): string {
    return `${NETNS_DIR}/${this.name}`;
  }

  /** Runs a command inside the namespace (see run()). */
  run(command: string[], options: Omit<RunOptions, "netns"> = {}): Promise<RunResult> {
    return run(command, { ...options, netns: this.name });
  }

  /** `ip -n NAME …` */
  ip(...args: string[]): Promise<RunResult> {
    return run(["ip", "-n", this.name, ...args]);
  }

  /** Starts a background process inside the namespace; the owning Lab stops it on cleanup. */
  spawn(command: string[], options: Omit<SpawnOptions, "netns"> = {}): BackgroundProcess {
    const process = new BackgroundProcess(command, { ...options, netns: this.name });
    this.#onSpawn(process);
    return process;
  }

  up(device: string): Promise<void> {
    return setUp(this.name, device);
  }

  addAddress(device: string, cidr: string): Promise<void> {
    return addAddress(this.name, device, cidr);
  }

  flushAddresses(device: string): Promise<void> {
    return flushAddresses(this.name, device);
  }

  addBridge(name: string): Promise<void> {
    return addBridge(this.name, name);
  }

  addTap(name: string): Promise<void> {
    return addTap(this.name, name);
  }

  setMaster(device: string, bridge: string): Promise<void> {
    return setMaster(this.name, device, bridge);
  }

  mac(device: string): Promise<string> {
    return macOf(this.name, device);
  }

  routes(): Promise<string[]> {
    return routes(this.name);
  }

  disableIPv6(): Promise<void> {
    return disableIPv6(this.name);
  }
}
