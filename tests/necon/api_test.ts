// necon's API through buf curl (the real command-line client), live against real clients.
import { rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { bufCurl, clientScript, labConfig, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

rootTest({
  name: "necon: buf curl adds a reservation live and streams the lease while udhcpc joins",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, {
        clients: 1,
        config: (br) => labConfig(br),
      });
      const stream = dhcp.server.spawn(bufCurl(dhcp.necon, "SubscribeToLeases"));
      await dhcp.api("PutReservation", {
        subnetId: "lab",
        reservation: { mac: "02:00:00:00:61:00", ip: "10.61.0.7", hostname: "pinned" },
      });
      const hook = await clientScript(dhcp.workDir, "api");
      udhcpc(dhcp.clients[0], hook.path);
      await eventMatching(hook.events, /^bound ip=10\.61\.0\.7 /, "udhcpc bound to the reservation");
      await waitFor(() => /"ip": "10\.61\.0\.7"[\s\S]*"state": "bound"/.test(stream.output()), {
        what: "the lease on the stream",
        timeoutMs: 10_000,
        describe: () => stream.output(),
      });
      assertMatch(stream.output(), /"hostname": "pinned"/);
    });
  },
});

rootTest("necon: an invalid configuration is refused field by field and the running one stays", async () => {
  await withLab(async (lab) => {
    await using dhcp = await startDhcpLab(lab, {
      clients: 1,
      config: (br) => ({
        interfaces: [br],
        subnets: [{ cidr: "10.61.0.0/24", pools: [{ start: "10.61.0.100", end: "10.61.0.110" }] }],
      }),
    });
    const before = await dhcp.api("GetConfig");
    const refused = await dhcp.server.run(
      bufCurl(dhcp.necon, "SetConfig", {
        config: {
          interfaces: ["br0"],
          subnets: [{ cidr: "10.61.0.0/24", pools: [{ start: "10.61.1.5", end: "10.61.0.110" }] }],
        },
      }),
      { check: false },
    );
    assert(refused.code !== 0, "SetConfig with a bad pool must fail");
    const error = JSON.parse(refused.stderr);
    assertEquals(error.code, "invalid_argument");
    assertMatch(JSON.stringify(error.details), /subnets\[0\]\.pools\[0\]\.start/);
    assertEquals(await dhcp.api("GetConfig"), before);
  });
});

rootTest({
  name: "necon: lease API — get, convert to a reservation, release; stats and subnet deletion",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, {
        clients: 1,
        config: (br) => labConfig(br),
      });
      const hook = await clientScript(dhcp.workDir, "lease-api");
      udhcpc(dhcp.clients[0], hook.path, ["-x", "hostname:worker-1"]);
      await eventMatching(hook.events, /^bound ip=10\.61\.0\.100 /, "udhcpc bound");
      const { lease } = await dhcp.api("GetLease", { ip: "10.61.0.100" }) as {
        lease: Record<string, string>;
      };
      assertEquals([lease.mac, lease.state, lease.subnetId], ["02:00:00:00:61:00", "bound", "lab"]);
      // ListLeases pages through buf curl as through any client: one lease, no next page.
      const page = await dhcp.api("ListLeases", { pageSize: 1, match: "WORKER" }) as {
        leases: { hostname: string }[];
        nextPageToken?: string;
        totalSize: number;
      };
      assertEquals([page.leases.map((l) => l.hostname), page.nextPageToken, page.totalSize], [
        ["worker-1"],
        undefined,
        1,
      ]);

      const { reservation } = await dhcp.api("ConvertLeaseToReservation", { ip: "10.61.0.100" }) as {
        reservation: Record<string, string>;
      };
      // udhcpc sends a client identifier (type 1 + MAC), which keys its lease and so its reservation.
      assertEquals([reservation.clientId, reservation.ip], ["01020000006100", "10.61.0.100"]);
      const { config } = await dhcp.api("GetConfig") as {
        config: { subnets: { reservations: unknown[] }[] };
      };
      assertEquals(config.subnets[0].reservations, [{
        clientId: "01020000006100",
        ip: "10.61.0.100",
        hostname: "worker-1",
      }]);

      const stats = await dhcp.api("GetStats") as {
        messages: Record<string, string>;
        pools: Record<string, unknown>[];
      };
      assertEquals(stats.messages["received.DISCOVER"], "1");
      assertEquals(stats.messages["sent.ACK"], "1");
      assertEquals(stats.pools, [{ subnetId: "lab", size: 11, bound: 1 }]);

      await dhcp.api("ReleaseLease", { ip: "10.61.0.100" });
      assertEquals((await dhcp.api("ListLeases") as { leases?: unknown[] }).leases ?? [], []);
      await dhcp.api("DeleteSubnet", { id: "lab" });
      assertEquals(
        (await dhcp.api("GetConfig") as { config: { subnets?: unknown[] } }).config.subnets ?? [],
        [],
      );
    });
  },
});
