import { cidrBroadcast, formatIpv4, type Ipv4Address, parseCidr, parseIpv4 } from "../net/ipv4addr.ts";
import { LiwascInputError } from "./input_error.ts";

/** A port scan's hosts at most: a /22, four times the /24 an nmap user scans most often. */
export const maxPortScanHosts = 1024;

/**
 * A port scan's hosts from the request's `ip` and `ips` (addresses or CIDR blocks; a block's network and
 * broadcast addresses are left out from /30 on, as in ARP scans), in the order given and without repeats.
 * Each must be reachable through one of the scanner's subnets (`reaches`); more than maxPortScanHosts, or
 * none, is refused before any block is walked.
 */
export function portScanHosts(
  ip: string,
  ips: readonly string[],
  reaches: (address: Ipv4Address) => boolean,
): string[] {
  const entries = [ip, ...ips].map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new LiwascInputError("ip", "no address to scan");
  const blocks = entries.map((entry, index) => {
    const field = index === 0 && ip.trim() ? "ip" : "ips";
    try {
      if (!entry.includes("/")) {
        const address = parseIpv4(entry);
        return { field, entry, first: address, last: address };
      }
      const cidr = parseCidr(entry);
      const wide = cidr.prefixLength <= 30;
      const broadcast = cidrBroadcast(cidr);
      return {
        field,
        entry,
        first: wide ? cidr.network + 1 : cidr.network,
        last: wide ? broadcast - 1 : broadcast,
      };
    } catch (error) {
      throw new LiwascInputError(field, (error as Error).message);
    }
  });
  const size = blocks.reduce((sum, block) => sum + block.last - block.first + 1, 0);
  if (size > maxPortScanHosts) {
    throw new LiwascInputError("ips", `${size} hosts; a port scan takes at most ${maxPortScanHosts}`);
  }
  const hosts = new Set<string>();
  for (const block of blocks) {
    for (let address = block.first; address <= block.last; address++) {
      if (!reaches(address)) {
        throw new LiwascInputError(
          block.field,
          `${formatIpv4(address)}${
            block.entry.includes("/") ? ` (of ${block.entry})` : ""
          } is in none of the scanner's subnets`,
        );
      }
      hosts.add(formatIpv4(address));
    }
  }
  return [...hosts];
}
