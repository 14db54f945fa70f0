import type { Ipv4Address } from "../net/ipv4addr.ts";
import type { MacAddress } from "../net/mac.ts";

/**
 * What necon remembers about an address. Offers are not leases (they live in memory for seconds); a lease
 * row exists once an address was ACKed, and stays after release or expiry so a returning client gets the
 * same address back (stable allocation).
 */
export type LeaseState = "bound" | "released" | "expired" | "declined";

export interface Lease {
  ip: Ipv4Address;
  subnetId: string;
  /** Who holds it: "id:<hex option 61>" or "mac:<hex chaddr>". Declined leases keep the decliner. */
  clientKey: string;
  mac: MacAddress;
  hostname?: string;
  state: LeaseState;
  /** When the lease (or the quarantine of a declined address) ends, ms since the epoch. */
  expiresAt: number;
  updatedAt: number;
}

/** The storage an in-memory lease table writes through; durable when `save` returns. */
export interface LeaseRepository {
  loadAll(): Lease[];
  /** Stores all of them in one durable transaction (a batch of ACKs shares one fsync). */
  save(leases: Lease[]): void;
  /**
   * Stores all of them in one transaction now; the promise resolves once they are on disk, with one
   * flush shared by every batch saved meanwhile (group commit). `inline`: flush before returning when no
   * flush is running (a lone client).
   */
  saveGrouped(leases: Lease[], inline: boolean): Promise<void>;
}

export function clientKeyOf(clientIdHex: string | undefined, mac: MacAddress): string {
  return clientIdHex ? `id:${clientIdHex}` : `mac:${mac.toString(16).padStart(12, "0")}`;
}

/** True when the address is held (bound and unexpired, or quarantined after a decline). */
export function isHeld(lease: Lease, now: number): boolean {
  return (lease.state === "bound" || lease.state === "declined") && lease.expiresAt > now;
}
