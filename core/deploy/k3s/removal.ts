// Hosts that left the inventory since the last run: each is first deleted from the cluster through a
// server that stays (for a server, k3s then also removes its etcd member), then uninstalled. The first
// server cannot leave or change: it is the one every other node joins through.
import { InputError } from "../../errors/input_error.ts";
import type { K3sInventory } from "./inventory.ts";
import { K3S_BINARY_PATH, type K3sRole } from "./paths.ts";
import type { UninstallStep } from "./plan_types.ts";
import { uninstallSteps } from "./uninstall.ts";

export interface K3sRemoval {
  host: string;
  role: K3sRole;
  /** Run on `through` before the host is uninstalled. */
  deleteNode: { through: string; argv: string[] };
  uninstall: UninstallStep[];
}

export function removalsBetween(previous: K3sInventory, next: K3sInventory): K3sRemoval[] {
  const first = next.servers[0];
  if (previous.servers[0].name !== first.name) {
    throw new InputError(
      "servers[0]",
      `the first server was ${previous.servers[0].name}: the cluster was made on it, and it stays first`,
      "precondition",
    );
  }
  const kept = new Set([...next.servers, ...next.agents].map((host) => host.name));
  const before: [string, K3sRole][] = [
    ...previous.servers.map((host): [string, K3sRole] => [host.name, "server"]),
    ...previous.agents.map((host): [string, K3sRole] => [host.name, "agent"]),
  ];
  return before.filter(([name]) => !kept.has(name)).map(([name, role]) => ({
    host: name,
    role,
    deleteNode: {
      through: first.name,
      argv: [K3S_BINARY_PATH, "kubectl", "delete", "node", name, "--ignore-not-found"],
    },
    uninstall: uninstallSteps(role),
  }));
}
