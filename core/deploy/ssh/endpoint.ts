// Where a host spec connects: its address and port, the address as the machine's identity when a host
// leaves an inventory. A name removed whose address:port a current host has is the same machine renamed:
// what the deployer would undo there (a unit stopped, k3s uninstalled) is what the new name just set up.
import type { HostSpec } from "./host.ts";

/** "address:port" ("[v6]:port"), the address lowercased and the port 22 when unset. */
export function sshEndpoint(spec: HostSpec): string {
  const address = spec.address.toLowerCase();
  return `${address.includes(":") ? `[${address}]` : address}:${spec.port ?? 22}`;
}

/**
 * For each host leaving, the current host at the same SSH address and port, if any (the same machine
 * under a new name). Hosts without a spec are never matched.
 */
export function renamedTo(
  leaving: { name: string; ssh?: HostSpec }[],
  current: { name: string; ssh?: HostSpec }[],
): Map<string, string> {
  const byEndpoint = new Map<string, string>();
  for (const host of current) if (host.ssh) byEndpoint.set(sshEndpoint(host.ssh), host.name);
  const renamed = new Map<string, string>();
  for (const host of leaving) {
    const now = host.ssh && byEndpoint.get(sshEndpoint(host.ssh));
    if (now !== undefined) renamed.set(host.name, now);
  }
  return renamed;
}
