import { assertEquals } from "../testing/assert.ts";
import { LogSink } from "../log/logger.ts";
import { Registry } from "../metrics/registry.ts";
import { parseIpv4 as ip } from "../net/ipv4addr.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { Necon } from "./necon.ts";

Deno.test("necon: pool usage counts bound and declined addresses inside the pools only", async () => {
  const store = SqliteStore.open(":memory:");
  const necon = new Necon({
    log: new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("necon"),
    metrics: new Registry(),
    store,
    now: () => 1000,
  });
  await necon.apply({
    subnets: [{
      id: "lab",
      cidr: "10.9.0.0/24",
      pools: [{ start: "10.9.0.10", end: "10.9.0.19" }],
      reservations: [{ mac: "02:00:00:00:00:55", ip: "10.9.0.55" }],
    }],
  });
  const lease = (address: string, state: "bound" | "declined" | "released", mac: number) =>
    necon.leases.put({
      ip: ip(address),
      subnetId: "lab",
      clientKey: `mac:${mac}`,
      mac,
      state,
      expiresAt: 10_000,
      updatedAt: 1000,
    });
  lease("10.9.0.55", "bound", 0x55);
  lease("10.9.0.10", "bound", 1);
  lease("10.9.0.11", "declined", 2);
  lease("10.9.0.12", "released", 3);
  assertEquals(necon.poolUsage(), [{ subnetId: "lab", size: 10, bound: 1, declined: 1, offered: 0 }]);
  await necon.stop();
  store.close();
});
