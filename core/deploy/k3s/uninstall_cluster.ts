// Removing k3s from every host of an inventory (the whole cluster): each host's uninstall steps, all
// hosts at once, since nothing is left to join. The controller's token file and kubeconfig stay: they
// are the user's, and a new cluster may be made with the same token.
import type { KnownHosts } from "../ssh/known_hosts.ts";
import { type HostOutcome, runOnHosts } from "../ssh/run_hosts.ts";
import { sshSpecs } from "./ssh_specs.ts";
import type { K3sInventory } from "./inventory.ts";
import { buildK3sPlan } from "./plan.ts";
import { runUninstall } from "./run_uninstall.ts";

export interface K3sUninstallOptions {
  knownHosts: KnownHosts;
  plan?: boolean;
  concurrency?: number;
  hostTimeoutMs?: number;
  onLog?: (host: string, line: string) => void;
}

export async function uninstallK3s(
  inventory: K3sInventory,
  options: K3sUninstallOptions,
): Promise<HostOutcome<void>[]> {
  const plan = buildK3sPlan(inventory);
  const specs = sshSpecs(inventory);
  const byName = new Map(plan.hosts.map((host) => [host.host, host]));
  return await runOnHosts(plan.hosts.map((host) => specs.get(host.host)!), async (target) => {
    await runUninstall(target, byName.get(target.name)!.uninstall);
  }, options);
}
