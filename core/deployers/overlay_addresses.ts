// Overlay addresses for the mesh, one per node and network, kept from one deployment to the next: a node
// keeps its address however the targets change around it (the mesh's peers and routes know it by it), and
// a new node takes the lowest address no node of that network has ever had.
import { FieldErrors } from "../errors/field_errors.ts";
import { cidrBroadcast, formatIpv4, type Ipv4Cidr } from "../net/ipv4addr.ts";

export interface OverlayAddressRepository {
  /** Node id → address, for one network ("10.200.0.0/24"). */
  overlayAddresses(network: string): Map<string, string>;
  /** Records new assignments; existing ones stay as they are. */
  keepOverlayAddresses(network: string, assigned: Map<string, string>): void;
}

/**
 * Every node's address on `overlay` (`network` is its text, the key they are kept under), assigning
 * new ones in node-id order so that the outcome does not depend on the order nodes were listed in. With
 * `keep` false (a plan) the new ones are only computed.
 */
export function assignOverlayAddresses(
  repository: OverlayAddressRepository,
  network: string,
  overlay: Ipv4Cidr,
  nodeIds: string[],
  keep: boolean,
): Map<string, string> {
  const known = repository.overlayAddresses(network);
  const taken = new Set(known.values());
  const result = new Map<string, string>();
  const fresh = new Map<string, string>();
  // A /31 or /32 has no network and broadcast address to skip.
  const first = overlay.prefixLength >= 31 ? overlay.network : overlay.network + 1;
  const last = overlay.prefixLength >= 31 ? cidrBroadcast(overlay) : cidrBroadcast(overlay) - 1;
  let next = first;
  for (const nodeId of [...nodeIds].sort()) {
    const existing = known.get(nodeId);
    if (existing) {
      result.set(nodeId, existing);
      continue;
    }
    while (next <= last && taken.has(formatIpv4(next))) next++;
    if (next > last) {
      throw new FieldErrors([{
        field: "gloeth.overlay_network",
        message: `${network} has no address left for ${nodeIds.length} nodes`,
      }]);
    }
    const address = formatIpv4(next);
    taken.add(address);
    result.set(nodeId, address);
    fresh.set(nodeId, address);
  }
  if (keep && fresh.size > 0) repository.keepOverlayAddresses(network, fresh);
  return result;
}
