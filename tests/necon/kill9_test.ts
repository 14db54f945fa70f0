// kill -9 under load: every lease a client saw ACKed is still leased to it after a restart, and no
// address is held by two clients.
import { DatabaseSync } from "node:sqlite";
import { rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { startDhcpLab } from "./lab.ts";
import { LoadClient } from "./load_client.ts";

rootTest("necon: kill -9 under load loses no acknowledged lease and never doubles an address", async () => {
  await withLab(async (lab) => {
    await using dhcp = await startDhcpLab(lab, {
      clients: 1,
      config: (br) => ({
        interfaces: [br],
        subnets: [{
          cidr: "10.61.0.0/22",
          pools: [{ start: "10.61.0.10", end: "10.61.3.250" }],
          leaseSeconds: 3600,
        }],
      }),
    });
    const acked = [];
    {
      await using load = new LoadClient(dhcp.clients[0].name, "eth0");
      const stop = new AbortController();
      const running = load.run(0x0200_0000_1000, 800, 16, stop.signal);
      await waitFor(() => load.acked.length >= 150, { timeoutMs: 30_000, what: "150 ACKs before the kill" });
      // The server dies mid-burst, with requests in flight.
      Deno.kill(dhcp.necon.process.pid, "SIGKILL");
      await dhcp.necon.process.status;
      stop.abort();
      await running;
      acked.push(...load.acked);
    }
    assert(acked.length >= 150, `${acked.length} ACKs`);
    console.log(`kill -9 after ${acked.length} ACKed leases`);
    const ips = new Set(acked.map((a) => a.ip));
    assertEquals(ips.size, acked.length, "an address was ACKed to two clients");

    await dhcp.restart();
    const db = new DatabaseSync(`${dhcp.workDir}/data/ctpf.sqlite`, { readOnly: true });
    const rows = db.prepare("SELECT ip, mac, state FROM necon_leases").all();
    db.close();
    const byIp = new Map(rows.map((row) => [Number(row.ip), row]));
    const lost = acked.filter((a) => byIp.get(a.ip)?.mac !== a.mac || byIp.get(a.ip)?.state !== "bound");
    assertEquals(lost.length, 0, `ACKed leases missing after kill -9: ${JSON.stringify(lost.slice(0, 5))}`);
  });
});
