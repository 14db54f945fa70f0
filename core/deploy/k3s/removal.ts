// Hosts that left the inventory since the last run: each is first deleted from the cluster through a
// server that stays (for a server, k3s then also removes its etcd member), then uninstalled. The first
// server cannot leave or change: it is the one every other node joins through. A name that left while a
// current host has its SSH address and port is the same machine renamed: only its old node is deleted,
// since uninstalling there would take k3s from the new name.
import { InputError } from "../../errors/input_error.ts";
import { renamedTo } from "../ssh/endpoint.ts";
import type { K3sHost, K3sInventory } from "./inventory.ts";
import { K3S_BINARY_PATH, type K3sRole } from "./paths.ts";
import type { UninstallStep } from "./plan_types.ts";
import { uninstallSteps } from "./uninstall.ts";

export interface K3sRemoval {
  host: string;
  role: K3sRole;
  /** Run on `through` before the host is uninstalled. */
  deleteNode: { through: string; argv: string[] };
  /** Empty for the same machine renamed: it is never reached. */
  uninstall: UninstallStep[];
  /** The current host at the same SSH address and port (the machine renamed), if any. */
  sameMachineAs?: string;
}

/**
 * A host that was an agent and is now a server, or the other way round, would keep the old role's unit
 * running beside the new one (and k3s does not turn a node into the other role): it leaves in one run
 * and comes back in its new role in the next.
 */
function refuseRoleChanges(previous: K3sInventory, next: K3sInventory): void {
  const was = new Map<string, K3sRole>([
    ...previous.servers.map((host): [string, K3sRole] => [host.name, "server"]),
    ...previous.agents.map((host): [string, K3sRole] => [host.name, "agent"]),
  ]);
  const check = (hosts: K3sHost[], role: K3sRole, list: string) =>
    hosts.forEach((host, index) => {
      const before = was.get(host.name);
      if (before !== undefined && before !== role) {
        throw new InputError(
          `${list}[${index}]`,
          `${host.name} was ${
            before === "agent" ? "an agent" : "a server"
          }: a node does not change role in ` +
            `place; take it out in one run, then add it back as ${
              role === "agent" ? "an agent" : "a server"
            }`,
          "precondition",
        );
      }
    });
  check(next.servers, "server", "servers");
  check(next.agents, "agent", "agents");
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
  refuseRoleChanges(previous, next);
  const current = [...next.servers, ...next.agents];
  const kept = new Set(current.map((host) => host.name));
  const leaving: [K3sHost, K3sRole][] = [
    ...previous.servers.map((host): [K3sHost, K3sRole] => [host, "server"]),
    ...previous.agents.map((host): [K3sHost, K3sRole] => [host, "agent"]),
  ].filter(([host]) => !kept.has(host.name));
  const renamed = renamedTo(leaving.map(([host]) => host), current);
  return leaving.map(([{ name }, role]) => ({
    host: name,
    role,
    deleteNode: {
      through: first.name,
      argv: [K3S_BINARY_PATH, "kubectl", "delete", "node", name, "--ignore-not-found"],
    },
    uninstall: renamed.has(name) ? [] : uninstallSteps(role),
    ...(renamed.has(name) ? { sameMachineAs: renamed.get(name) } : {}),
  }));
}
