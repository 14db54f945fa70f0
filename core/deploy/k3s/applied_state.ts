// What the last run applied, kept on the controller so the next run can tell which hosts left the
// inventory (removalsBetween) and uninstall them. Written after every run that was not a plan: the
// inventory run, plus the hosts whose removal failed (tried again next time). 0600: it names every
// host and how it is reached.
import type { HostOutcome } from "../ssh/run_hosts.ts";
import type { K3sHost, K3sInventory } from "./inventory.ts";
import type { K3sRemoval } from "./removal.ts";
import { writePrivateFile } from "./private_file.ts";

function isInventory(value: unknown): value is K3sInventory {
  const inventory = value as K3sInventory;
  const hosts = (list: unknown) =>
    Array.isArray(list) &&
    list.every((host: K3sHost) => typeof host?.name === "string" && typeof host?.overlayAddress === "string");
  return typeof value === "object" && value !== null && hosts(inventory.servers) && hosts(inventory.agents) &&
    inventory.servers.length > 0;
}

/** The inventory the last run applied, or undefined before the first. */
export async function readAppliedInventory(path: string): Promise<K3sInventory | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const value = JSON.parse(text);
  if (!isInventory(value)) throw new Error(`${path} is not an inventory k3sdeployer wrote: move it away`);
  return value;
}

/** The inventory applied, with the hosts whose removal did not finish kept for the next run. */
export function appliedInventory(
  inventory: K3sInventory,
  previous: K3sInventory | undefined,
  unfinished: K3sRemoval[],
): K3sInventory {
  const left = (role: "server" | "agent") =>
    unfinished.filter((removal) => removal.role === role).map((removal) =>
      (role === "server" ? previous!.servers : previous!.agents).find((host) => host.name === removal.host)!
    );
  return {
    ...inventory,
    servers: [...inventory.servers, ...left("server")],
    agents: [...inventory.agents, ...left("agent")],
  };
}

/**
 * The removals a run did not finish. A removed host is done when its outcome is ok, or when it cannot be
 * reached any more: runRemovals leaves an outcome `unreachable` only when the host's node was deleted from
 * the cluster (otherwise it is `skipped`), so a host gone for good does not stay listed forever.
 */
export function unfinishedRemovals(
  result: { removals: K3sRemoval[]; hosts: HostOutcome<unknown>[] },
): K3sRemoval[] {
  const done = new Set(
    result.hosts.filter((outcome) => outcome.ok || outcome.error?.kind === "unreachable")
      .map((outcome) => outcome.host),
  );
  return result.removals.filter((removal) => !done.has(removal.host));
}

export async function writeAppliedInventory(path: string, inventory: K3sInventory): Promise<void> {
  await writePrivateFile(path, JSON.stringify(inventory, null, 2) + "\n");
}
