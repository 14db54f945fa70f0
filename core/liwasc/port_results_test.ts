// Where a port scan's results go: a scan answers before they are written (write-behind), yet every read
// through liwasc sees them at once, and the store has them a moment later or as soon as liwasc stops.
// A connect scan of loopback: no root, nothing on the wire.
import { Registry } from "../metrics/registry.ts";
import { assertEquals } from "../testing/assert.ts";
import { inProcessApi } from "../testing/in_process_api.ts";
import { waitFor } from "../testing/harness/wait.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { Liwasc } from "./liwasc.ts";
import { SqliteLiwascRepository } from "./store_sqlite.ts";

/** A port nothing listens on: one the kernel just handed out and took back. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("liwasc port results: in every read at once after a scan answers, in the store a moment later and at stop", async () => {
  await using api = await inProcessApi({});
  const liwasc = new Liwasc({
    log: api.log,
    metrics: new Registry(),
    repository: new SqliteLiwascRepository(api.store),
    interfaces: ["lo"],
  });
  // A second connection to the same file sees only what was committed.
  const other = SqliteStore.open(api.store.path);
  const stored = new SqliteLiwascRepository(other);
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = (listener.addr as Deno.NetAddr).port;
  const closed = closedPort();
  const scan = () =>
    liwasc.runPortScan({
      ip: "127.0.0.1",
      tcpPorts: `${open},${closed}`,
      timeoutMs: 2000,
      startedBy: "test",
    });
  const states = (ports: { port: number; state: string; scanId: string }[]) =>
    ports.map((p) => [p.port, p.state, p.scanId]).sort((a, b) => Number(a[0]) - Number(b[0]));
  const expected = (scanId: string) =>
    states([{ port: open, state: "open", scanId }, { port: closed, state: "closed", scanId }]);
  try {
    const first = await scan();
    assertEquals(first.openPorts.map((p) => p.port), [open]);
    await waitFor(() => stored.loadPorts("127.0.0.1").length === 2, {
      what: "the first scan's results stored",
    });
    assertEquals(states(stored.loadPorts("127.0.0.1")), expected(first.scan.id));

    // Read at once, before the moment has passed: liwasc's reads save what is pending first.
    const second = await scan();
    assertEquals(states(liwasc.knownPorts("127.0.0.1")), expected(second.scan.id));
    assertEquals(states(stored.loadPorts("127.0.0.1")), expected(second.scan.id));
    assertEquals(liwasc.openPorts("127.0.0.1").map((p) => [p.port, p.scanId]), [[open, second.scan.id]]);

    // Stopping saves what is pending.
    const third = await scan();
    liwasc.stop();
    assertEquals(states(stored.loadPorts("127.0.0.1")), expected(third.scan.id));
  } finally {
    liwasc.stop();
    other.close();
  }
});
