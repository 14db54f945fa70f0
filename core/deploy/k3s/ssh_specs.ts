// How the executor reaches each host of a k3s run: the inventory's own, and the previous inventory's for
// hosts that left it (to uninstall them). A host of the inventory without one is refused before any
// host is touched, since a cluster half set up is worse than none.
import { InputError } from "../../errors/input_error.ts";
import type { HostSpec } from "../ssh/host.ts";
import type { K3sInventory } from "./inventory.ts";

/** Each host's way in, from this inventory and the previous one; refused up front when one has none. */
export function sshSpecs(inventory: K3sInventory, previous?: K3sInventory): Map<string, HostSpec> {
  const specs = new Map<string, HostSpec>();
  const missing = new Set<string>();
  const hostsOf = (from?: K3sInventory) => from ? [...from.servers, ...from.agents] : [];
  for (const host of [...hostsOf(previous), ...hostsOf(inventory)]) {
    if (host.ssh) {
      specs.set(host.name, host.ssh);
      missing.delete(host.name);
    } else if (!specs.has(host.name)) missing.add(host.name);
  }
  if (missing.size > 0) {
    throw new InputError(
      "ssh",
      `no SSH address for ${[...missing].join(", ")}: give each host an ssh.address`,
    );
  }
  return specs;
}
