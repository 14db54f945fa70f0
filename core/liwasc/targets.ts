import {
  cidrBroadcast,
  cidrContains,
  formatCidr,
  formatIpv4,
  type Ipv4Address,
  type Ipv4Cidr,
  parseCidr,
} from "../net/ipv4addr.ts";
import { interfaceExists, ipv4Addresses, withNetns } from "../sys/mod.ts";

/** An address to ask for, and the interface address to ask from (ARP requests name a sender). */
export interface ScanTarget {
  ip: Ipv4Address;
  from: Ipv4Address;
}

/** Subnets with more hosts than this are not walked whole: a /16 is already 65 534 requests. */
export const maxSubnetHosts = 65_534;

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}

/** The interface's IPv4 subnets (in the given namespace), or a TargetError naming what is wrong. */
export function subnetsOf(interfaceName: string, netns?: string): Ipv4Cidr[] {
  const read = () => {
    if (!interfaceExists(interfaceName)) throw new TargetError(`no interface named ${interfaceName}`);
    return ipv4Addresses(interfaceName).map((address) => parseCidr(address.cidr));
  };
  const subnets = netns ? withNetns(netns, read) : read();
  if (subnets.length === 0) throw new TargetError(`${interfaceName} has no IPv4 address to scan from`);
  return subnets;
}

/** Whether one of the interface's subnets holds `ip`: false when the interface is gone or has no address. */
export function interfaceReaches(interfaceName: string, ip: Ipv4Address): boolean {
  try {
    return subnetsOf(interfaceName).some((subnet) => cidrContains(subnet, ip));
  } catch {
    return false;
  }
}

/**
 * Every host address of the interface's subnets except its own (network and broadcast addresses left
 * out for /30 and wider), or only `only` when a scan is scoped to some nodes (each must lie in one of
 * the subnets, or the scan could not ask for it from this link).
 */
export function targetsOf(subnets: Ipv4Cidr[], only?: Ipv4Address[]): ScanTarget[] {
  const own = new Set(subnets.map((subnet) => subnet.address));
  if (only) {
    return only.map((ip) => {
      const subnet = subnets.find((candidate) => cidrContains(candidate, ip));
      if (!subnet) {
        throw new TargetError(
          `${formatIpv4(ip)} is not in ${subnets.map(formatCidr).join(", ")}: ARP cannot reach it`,
        );
      }
      return { ip, from: subnet.address };
    });
  }
  const targets: ScanTarget[] = [];
  const seen = new Set<Ipv4Address>();
  for (const subnet of subnets) {
    const size = 2 ** (32 - subnet.prefixLength);
    if (size - 2 > maxSubnetHosts) {
      throw new TargetError(`${formatCidr(subnet)} has more than ${maxSubnetHosts} hosts; scope the scan`);
    }
    const wide = subnet.prefixLength <= 30;
    const first = wide ? subnet.network + 1 : subnet.network;
    const last = wide ? cidrBroadcast(subnet) - 1 : cidrBroadcast(subnet);
    for (let ip = first; ip <= last; ip++) {
      if (own.has(ip) || seen.has(ip)) continue;
      seen.add(ip);
      targets.push({ ip, from: subnet.address });
    }
  }
  return targets;
}
