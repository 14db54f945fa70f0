// What each node's config.yaml says. The first server initialises embedded etcd (cluster-init); every
// other server and every agent joins through the first server's overlay address. Each node uses its own
// overlay address and interface, so Kubernetes traffic (API, etcd, flannel) stays on the gloeth mesh.
import type { ConfigEntry } from "./config_file.ts";
import type { K3sHost, K3sInventory } from "./inventory.ts";
import { K3S_API_PORT, K3S_TOKEN_PATH, type K3sRole } from "./paths.ts";

export interface NodePlace {
  host: K3sHost;
  role: K3sRole;
  /** The server that initialises the cluster. */
  first: boolean;
}

/** Where joining servers and agents find the cluster: the first server's supervisor on the mesh. */
export function clusterUrl(inventory: K3sInventory): string {
  return `https://${inventory.servers[0].overlayAddress}:${K3S_API_PORT}`;
}

export function nodeConfig(inventory: K3sInventory, place: NodePlace): ConfigEntry[] {
  const { host, role, first } = place;
  const entries: ConfigEntry[] = [];
  if (first) entries.push(["cluster-init", true]);
  else entries.push(["server", clusterUrl(inventory)]);
  entries.push(
    ["token-file", K3S_TOKEN_PATH],
    ["node-name", host.name],
    ["node-ip", host.overlayAddress],
    ["flannel-iface", host.overlayInterface],
  );
  if (role === "server") {
    entries.push(["advertise-address", host.overlayAddress]);
    if (inventory.tlsSans.length > 0) entries.push(["tls-san", [...inventory.tlsSans]]);
    entries.push(...inventory.serverConfig);
  } else {
    entries.push(...inventory.agentConfig);
  }
  return entries;
}
