import { IFF_LOOPBACK, IFF_RUNNING, IFF_UP } from "./constants.ts";
import { Errno, SysError } from "./errno.ts";
import { linkFlags, macAddress, mtu } from "./iface.ts";

/** What the pages offer when a service asks "which interface?". */
export interface InterfaceFacts {
  name: string;
  /** The 6 hardware address bytes, or none (loopback, tun, …: all zero). */
  mac: Uint8Array | null;
  /** IPv4 and IPv6 addresses as CIDR text. */
  addresses: string[];
  up: boolean;
  running: boolean;
  loopback: boolean;
  mtu: number;
}

/**
 * Every interface of the process's network namespace, addressed or not, sorted by name. Names come from
 * /proc/net/dev (which, unlike getifaddrs, lists interfaces without addresses); an interface that vanishes
 * between the listing and its ioctls is left out rather than failing the whole list.
 */
export function listInterfaces(): InterfaceFacts[] {
  const addresses = new Map<string, string[]>();
  for (const entry of Deno.networkInterfaces()) {
    addresses.set(entry.name, [...addresses.get(entry.name) ?? [], entry.cidr]);
  }
  const facts: InterfaceFacts[] = [];
  for (const name of interfaceNames()) {
    try {
      const flags = linkFlags(name);
      const hardware = macAddress(name);
      facts.push({
        name,
        mac: hardware.some((byte) => byte !== 0) ? hardware : null,
        addresses: addresses.get(name) ?? [],
        up: (flags & IFF_UP) !== 0,
        running: (flags & IFF_RUNNING) !== 0,
        loopback: (flags & IFF_LOOPBACK) !== 0,
        mtu: mtu(name),
      });
    } catch (error) {
      if (!(error instanceof SysError && error.errno === Errno.ENODEV)) throw error;
    }
  }
  return facts.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

function interfaceNames(): string[] {
  // Two header lines, then "  name: counters…" per interface.
  return Deno.readTextFileSync("/proc/net/dev").split("\n").slice(2)
    .map((line) => line.split(":")[0].trim())
    .filter((name) => name.length > 0);
}
