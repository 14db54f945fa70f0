import { formatIpv4, type Ipv4Address } from "../net/ipv4addr.ts";
import { type MacAddress, macToBytes } from "../net/mac.ts";
import type { NodeRecord } from "./model.ts";
import { vendorOf } from "./vendors/lookup.ts";

/**
 * The nodes liwasc knows, by MAC, and how a node scan changes them: who answered is online (first seen
 * now, or seen again), who did not is offline, an address that moved to another MAC leaves the old one,
 * and two MACs answering for one address are marked as conflicting with each other.
 */
export class NodeBook {
  readonly #nodes = new Map<MacAddress, NodeRecord>();

  constructor(initial: NodeRecord[] = []) {
    for (const node of initial) this.#nodes.set(node.mac, node);
  }

  all(): NodeRecord[] {
    return [...this.#nodes.values()];
  }

  get(mac: MacAddress): NodeRecord | undefined {
    return this.#nodes.get(mac);
  }

  /** The node that last answered for `ip`, if any. */
  byIp(ip: string): NodeRecord | undefined {
    for (const node of this.#nodes.values()) if (node.ips.includes(ip)) return node;
    return undefined;
  }

  /**
   * Applies one scan of `interfaceName`. `asked` is the set of addresses the scan asked for: nodes whose
   * addresses were all asked and did not answer go offline (a scan scoped to other addresses says
   * nothing about them). Returns the nodes that changed.
   */
  applyScan(
    interfaceName: string,
    hosts: Map<Ipv4Address, MacAddress[]>,
    asked: Set<string>,
    now: number,
  ): NodeRecord[] {
    const changed = new Set<NodeRecord>();
    const answered = new Set<MacAddress>();
    for (const [address, macs] of hosts) {
      const ip = formatIpv4(address);
      for (const mac of macs) {
        answered.add(mac);
        let node = this.#nodes.get(mac);
        if (!node) {
          node = {
            mac,
            ips: [],
            interface: interfaceName,
            vendor: vendorOf(macToBytes(mac)).name ?? "",
            hostname: "",
            firstSeen: now,
            lastSeen: now,
            online: true,
            conflictsWith: [],
          };
          this.#nodes.set(mac, node);
        }
        node.lastSeen = now;
        node.online = true;
        node.interface = interfaceName;
        if (!node.ips.includes(ip)) node.ips = [ip, ...node.ips];
        const others = macs.filter((other) => other !== mac);
        node.conflictsWith = others;
        changed.add(node);
      }
      // The address now belongs to the MACs that answered for it: other nodes lose it.
      for (const node of this.#nodes.values()) {
        if (!macs.includes(node.mac) && node.ips.includes(ip)) {
          node.ips = node.ips.filter((other) => other !== ip);
          changed.add(node);
        }
      }
    }
    for (const node of this.#nodes.values()) {
      if (answered.has(node.mac) || !node.online || node.interface !== interfaceName) continue;
      if (node.ips.length > 0 && node.ips.every((ip) => asked.has(ip))) {
        node.online = false;
        changed.add(node);
      }
    }
    return [...changed];
  }

  setHostname(mac: MacAddress, hostname: string): NodeRecord | undefined {
    const node = this.#nodes.get(mac);
    if (!node || node.hostname === hostname) return undefined;
    node.hostname = hostname;
    return node;
  }

  /** Forgets nodes last seen before `before` (retention). */
  forgetBefore(before: number): void {
    for (const [mac, node] of this.#nodes) if (node.lastSeen < before) this.#nodes.delete(mac);
  }
}
