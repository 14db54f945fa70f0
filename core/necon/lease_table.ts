import type { Ipv4Address } from "../net/ipv4addr.ts";
import { isHeld, type Lease, type LeaseRepository } from "./lease.ts";

/**
 * Every lease in memory, indexed by address and by client, writing changes back in batches: the server
 * collects a burst of requests, calls `flush()` once (one durable transaction) and only then sends the
 * ACKs of that burst. So no ACK leaves before its lease is on disk, and a burst pays one fsync.
 */
export class LeaseTable {
  readonly #byIp = new Map<Ipv4Address, Lease>();
  readonly #byClient = new Map<string, Set<Ipv4Address>>();
  #dirty = new Map<Ipv4Address, Lease>();
  // The last grouped flush: a burst with nothing new to write may still answer from state it waits on.
  #pendingDurable: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(lease: Lease) => void>();
  #sorted: Uint32Array | undefined;

  constructor(private readonly repository: LeaseRepository) {
    for (const lease of repository.loadAll()) this.#index(lease);
  }

  get(ip: Ipv4Address): Lease | undefined {
    return this.#byIp.get(ip);
  }

  /** The client's most recently updated lease in the subnet, whatever its state. */
  latestOf(clientKey: string, subnetId: string): Lease | undefined {
    let latest: Lease | undefined;
    for (const ip of this.#byClient.get(clientKey) ?? []) {
      const lease = this.#byIp.get(ip)!;
      if (lease.subnetId === subnetId && (!latest || lease.updatedAt > latest.updatedAt)) latest = lease;
    }
    return latest;
  }

  all(): IterableIterator<Lease> {
    return this.#byIp.values();
  }

  get size(): number {
    return this.#byIp.size;
  }

  put(lease: Lease): void {
    const previous = this.#byIp.get(lease.ip);
    if (previous && previous.clientKey !== lease.clientKey) {
      this.#byClient.get(previous.clientKey)?.delete(lease.ip);
    }
    this.#index(lease);
    this.#dirty.set(lease.ip, lease);
  }

  /** Marks bound leases past their end as expired; returns how many. */
  reclaimExpired(now: number): number {
    let count = 0;
    for (const lease of this.#byIp.values()) {
      if (lease.state === "bound" && lease.expiresAt <= now) {
        this.put({ ...lease, state: "expired", updatedAt: now });
        count++;
      }
    }
    return count;
  }

  isHeldByOther(ip: Ipv4Address, clientKey: string, now: number): boolean {
    const lease = this.#byIp.get(ip);
    return lease !== undefined && isHeld(lease, now) &&
      (lease.clientKey !== clientKey || lease.state === "declined");
  }

  /** Writes every change since the last flush in one durable transaction, then tells listeners. */
  flush(): void {
    if (this.#dirty.size === 0) return;
    const changed = [...this.#dirty.values()];
    this.repository.save(changed);
    this.#dirty = new Map();
    this.#tell(changed);
  }

  /**
   * Writes every change since the last flush in one transaction now; resolves once it is on disk (group
   * commit: batches written while a flush runs share the next one), and only then tells listeners.
   * `inline`: flush at once when no flush is running, for a lone client.
   */
  flushGrouped(inline: boolean): Promise<void> {
    if (this.#dirty.size === 0) return this.#pendingDurable;
    const changed = [...this.#dirty.values()];
    const saved = this.repository.saveGrouped(changed, inline);
    this.#dirty = new Map();
    const durable = saved.then(() => this.#tell(changed));
    this.#pendingDurable = durable;
    return durable;
  }

  #tell(changed: Lease[]): void {
    for (const listener of this.#listeners) for (const lease of changed) listener(lease);
  }

  /** Called after each durable change (for the lease stream). */
  onChange(listener: (lease: Lease) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every address with a lease, ascending (for paged listings); rebuilt only after an address is added. */
  sortedAddresses(): Uint32Array {
    this.#sorted ??= Uint32Array.from(this.#byIp.keys()).sort();
    return this.#sorted;
  }

  #index(lease: Lease): void {
    if (!this.#byIp.has(lease.ip)) this.#sorted = undefined;
    this.#byIp.set(lease.ip, lease);
    let ips = this.#byClient.get(lease.clientKey);
    if (!ips) this.#byClient.set(lease.clientKey, ips = new Set());
    ips.add(lease.ip);
  }
}
