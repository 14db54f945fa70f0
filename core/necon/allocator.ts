import type { Ipv4Address } from "../net/ipv4addr.ts";
import type { MacAddress } from "../net/mac.ts";
import type { Reservation, Subnet } from "./config.ts";
import type { LeaseTable } from "./lease_table.ts";

/** Who is asking: the lease key plus what reservations match on. */
export interface Client {
  key: string;
  mac: MacAddress;
  clientIdHex?: string;
  /** The name the client sent (option 12), cleaned; recorded in its lease. */
  hostname?: string;
}

const offerHoldMs = 30_000;

export function reservationFor(subnet: Subnet, client: Client): Reservation | undefined {
  return subnet.reservations.find((r) =>
    (client.clientIdHex !== undefined && r.clientId === client.clientIdHex) ||
    (r.mac !== undefined && r.mac === client.mac)
  );
}

function inPools(subnet: Subnet, ip: Ipv4Address): boolean {
  return subnet.pools.some((pool) => ip >= pool.start && ip <= pool.end);
}

/**
 * Picks and checks addresses for clients of one subnet: reservations first, then the client's current or
 * last address, then what it asked for, then a fresh one. Offers are held in memory briefly so two
 * clients discovering at once never get the same address.
 */
export class Allocator {
  readonly #offers = new Map<Ipv4Address, { clientKey: string; subnetId: string; until: number }>();
  readonly #cursor = new Map<string, Ipv4Address>();

  constructor(private readonly leases: LeaseTable) {}

  /** May `client` have `ip` in `subnet` right now? (the test every REQUEST state applies) */
  availableTo(subnet: Subnet, ip: Ipv4Address, client: Client, now: number): boolean {
    const reserved = reservationFor(subnet, client);
    if (reserved) return reserved.ip === ip && !this.leases.isHeldByOther(ip, client.key, now);
    if (subnet.reservations.some((r) => r.ip === ip)) return false;
    if (!inPools(subnet, ip)) return false;
    if (this.leases.isHeldByOther(ip, client.key, now)) return false;
    const offer = this.#offers.get(ip);
    return !offer || offer.until <= now || offer.clientKey === client.key;
  }

  /** The address to offer, or undefined when the subnet has none left for this client. */
  choose(
    subnet: Subnet,
    client: Client,
    requested: Ipv4Address | undefined,
    now: number,
  ): Ipv4Address | undefined {
    const reserved = reservationFor(subnet, client);
    if (reserved) return this.leases.isHeldByOther(reserved.ip, client.key, now) ? undefined : reserved.ip;
    const previous = this.leases.latestOf(client.key, subnet.id);
    if (previous && previous.state !== "declined" && this.availableTo(subnet, previous.ip, client, now)) {
      return previous.ip;
    }
    if (requested !== undefined && this.availableTo(subnet, requested, client, now)) return requested;
    return this.#fresh(subnet, client, now);
  }

  hold(ip: Ipv4Address, subnet: Subnet, client: Client, now: number): void {
    this.#offers.set(ip, { clientKey: client.key, subnetId: subnet.id, until: now + offerHoldMs });
  }

  /** Drops the hold on `ip`; with `client`, only a hold that client has (a REQUEST can name any address). */
  release(ip: Ipv4Address, client?: Client): void {
    if (client && this.#offers.get(ip)?.clientKey !== client.key) return;
    this.#offers.delete(ip);
  }

  /** Offers outstanding in a subnet (for stats); expired ones are dropped on the way. */
  outstandingOffers(subnet: Subnet, now: number): number {
    let count = 0;
    for (const [ip, offer] of this.#offers) {
      if (offer.until <= now) this.#offers.delete(ip);
      else if (offer.subnetId === subnet.id) count++;
    }
    return count;
  }

  /**
   * A never-leased address if there is one (scanning on from where the last scan stopped), else the free
   * address whose last holder left longest ago, so returning clients find their old address untouched.
   */
  #fresh(subnet: Subnet, client: Client, now: number): Ipv4Address | undefined {
    const reserved = new Set(subnet.reservations.map((r) => r.ip));
    const total = subnet.pools.reduce((sum, pool) => sum + pool.end - pool.start + 1, 0);
    const start = this.#cursor.get(subnet.id);
    let oldest: { ip: Ipv4Address; since: number } | undefined;
    let index = start === undefined ? 0 : this.#indexOf(subnet, start);
    for (let step = 0; step < total; step++, index = (index + 1) % total) {
      const ip = this.#addressAt(subnet, index);
      if (reserved.has(ip)) continue;
      const offer = this.#offers.get(ip);
      if (offer && offer.until > now && offer.clientKey !== client.key) continue;
      const lease = this.leases.get(ip);
      if (!lease) {
        this.#cursor.set(subnet.id, this.#addressAt(subnet, (index + 1) % total));
        return ip;
      }
      if (this.leases.isHeldByOther(ip, client.key, now)) continue;
      if (!oldest || lease.updatedAt < oldest.since) oldest = { ip, since: lease.updatedAt };
    }
    return oldest?.ip;
  }

  #addressAt(subnet: Subnet, index: number): Ipv4Address {
    for (const pool of subnet.pools) {
      const size = pool.end - pool.start + 1;
      if (index < size) return pool.start + index;
      index -= size;
    }
    throw new RangeError("allocator: index outside the pools");
  }

  #indexOf(subnet: Subnet, ip: Ipv4Address): number {
    let base = 0;
    for (const pool of subnet.pools) {
      if (ip >= pool.start && ip <= pool.end) return base + ip - pool.start;
      base += pool.end - pool.start + 1;
    }
    return 0;
  }
}
