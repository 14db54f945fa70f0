import { isMulticastMac, type MacAddress, requireMac } from "../../net/mac.ts";
import type { NodeId } from "./node_id.ts";

interface Entry {
  readonly home: NodeId;
  readonly learnedAt: number;
}

/**
 * Which node each MAC address lives behind, learned from the source address of frames as they arrive,
 * like a switch's forwarding table. Unknown and group destinations are the caller's to flood.
 *
 * Map order is learning order (learn re-inserts), so the first entry is always the one to evict when
 * full. Aging happens in expire(), which the caller runs every few seconds: a lookup in between may still
 * answer with an entry that is up to one sweep past its TTL, which costs a frame sent to where the
 * address was a moment ago, not a wrong delivery that learning would not fix at the next frame.
 */
export class MacTable {
  readonly #entries = new Map<MacAddress, Entry>();

  constructor(readonly ttlMs = 300_000, readonly capacity = 65_536) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be ≥ 1: ${capacity}`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Records that `mac` sent a frame from `home`. Group addresses are never a frame's true source. */
  learn(mac: MacAddress, home: NodeId, now: number): void {
    requireMac(mac);
    if (isMulticastMac(mac)) return;
    this.#entries.delete(mac);
    this.#entries.set(mac, { home, learnedAt: now });
    if (this.#entries.size > this.capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** Every entry, for status views (a copy). */
  entries(): { mac: MacAddress; home: NodeId; learnedAt: number }[] {
    return [...this.#entries].map(([mac, entry]) => ({ mac, ...entry }));
  }

  lookup(mac: MacAddress): NodeId | undefined {
    return this.#entries.get(mac)?.home;
  }

  /** Drops entries not refreshed for more than ttlMs; returns how many. */
  expire(now: number): number {
    let dropped = 0;
    for (const [mac, { learnedAt }] of this.#entries) {
      if (now - learnedAt > this.ttlMs) {
        this.#entries.delete(mac);
        dropped++;
      }
    }
    return dropped;
  }

  /** For a node that left the route table: its addresses are unreachable until seen elsewhere. */
  forgetNode(home: NodeId): number {
    let dropped = 0;
    for (const [mac, entry] of this.#entries) {
      if (entry.home === home) {
        this.#entries.delete(mac);
        dropped++;
      }
    }
    return dropped;
  }
}
