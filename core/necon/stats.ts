import type { Registry } from "../metrics/registry.ts";

/** Message counts by kind ("received.DISCOVER", "sent.OFFER", "dropped.malformed" …), also in /metrics. */
export class NeconStats {
  #counts = new Map<string, number>();
  #counter;

  constructor(metrics: Registry) {
    this.#counter = metrics.counter("ctpf_necon_messages_total", "DHCP messages by event and kind.", [
      "event",
      "kind",
    ]);
  }

  count(event: "received" | "sent" | "dropped" | "outcome", kind: string, by = 1): void {
    const key = `${event}.${kind}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
    this.#counter.inc({ event, kind }, by);
  }

  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  snapshot(): Record<string, bigint> {
    return Object.fromEntries([...this.#counts].map(([key, value]) => [key, BigInt(value)]));
  }
}
