// necon against real DHCP clients (busybox udhcpc, ISC dhclient) in network namespaces.
import { rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { clientScript, readEvents, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

const subnet = (bridge: string, extra: Record<string, unknown> = {}) => ({
  interfaces: [bridge],
  subnets: [{
    cidr: "10.61.0.0/24",
    pools: [{ start: "10.61.0.100", end: "10.61.0.110" }],
    routers: ["10.61.0.1"],
    dnsServers: ["10.61.0.53"],
    leaseSeconds: 120,
    ...extra,
  }],
});

type Lease = { ip: string; mac: string; state: string; hostname?: string };

async function leases(api: (m: string, b?: unknown) => Promise<unknown>, includeInactive = false) {
  return ((await api("ListLeases", { includeInactive })) as { leases?: Lease[] }).leases ?? [];
}

rootTest({
  name: "necon: busybox udhcpc gets a lease, renews it and releases it",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, { clients: 1, config: (br) => subnet(br) });
      const hook = await clientScript(dhcp.workDir, "udhcpc");
      const client = udhcpc(dhcp.clients[0], hook.path, ["-x", "hostname:node-a"]);
      const bound = await eventMatching(hook.events, /^bound /, "udhcpc bound");
      assertMatch(bound, /ip=10\.61\.0\.100 router=10\.61\.0\.1 dns=10\.61\.0\.53/);
      let [lease] = await leases(dhcp.api);
      assertEquals([lease.ip, lease.mac, lease.state], ["10.61.0.100", "02:00:00:00:61:00", "bound"]);

      await client.signal("SIGUSR1"); // renew: a unicast REQUEST from 10.61.0.100
      await eventMatching(hook.events, /^renew ip=10\.61\.0\.100/, "udhcpc renew");
      // necon's log line is read from its stderr pipe, which may trail the ACK the client already has.
      await waitFor(() => /msg=ack .*reason=renewing/.test(dhcp.necon.output()), {
        what: "necon's ack log line for the renewal",
        timeoutMs: 5_000,
      });

      await client.signal("SIGUSR2"); // release
      await eventMatching(hook.events, /^deconfig/, "udhcpc release");
      lease = await waitFor(async () => {
        const [l] = await leases(dhcp.api, true);
        return l?.state === "released" ? l : undefined;
      }, { what: "lease released", timeoutMs: 10_000 });
      assertEquals(lease.ip, "10.61.0.100");
      assertEquals(await leases(dhcp.api), []);
    });
  },
});

rootTest({
  name: "necon: ISC dhclient gets a lease, renews at T1, and releases it",
  tools: ["dhclient"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, {
        clients: 1,
        config: (br) => subnet(br, { renewSeconds: 2, rebindSeconds: 100 }),
      });
      const hook = await clientScript(dhcp.workDir, "dhclient");
      const files = [
        "-sf",
        hook.path,
        "-lf",
        `${dhcp.workDir}/dhclient.leases`,
        "-pf",
        `${dhcp.workDir}/dhclient.pid`,
      ];
      dhcp.clients[0].spawn(["dhclient", "-d", "-v", "-4", ...files, "eth0"]);
      await eventMatching(hook.events, /^BOUND ip=10\.61\.0\.100/, "dhclient BOUND");
      await eventMatching(hook.events, /^RENEW ip=10\.61\.0\.100/, "dhclient RENEW after T1 = 2 s");
      await dhcp.clients[0].run(["dhclient", "-r", "-4", ...files, "eth0"], { timeoutMs: 15_000 });
      await waitFor(async () => (await leases(dhcp.api, true))[0]?.state === "released", {
        what: "lease released by dhclient -r",
        timeoutMs: 10_000,
      });
    });
  },
});

rootTest({
  name: "necon: a reservation is honoured (address and hostname); a full pool makes no offer and logs why",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, {
        clients: 3,
        config: (br) =>
          subnet(br, {
            pools: [{ start: "10.61.0.100", end: "10.61.0.100" }],
            reservations: [{ mac: "02:00:00:00:61:02", ip: "10.61.0.42", hostname: "reserved-node" }],
          }),
      });
      const hooks = await Promise.all([0, 1, 2].map((i) => clientScript(dhcp.workDir, `c${i}`)));
      const join = (i: number, extra: string[] = []) =>
        udhcpc(dhcp.clients[i], hooks[i].path, ["-t", "3", ...extra]);
      join(2, ["-O", "hostname"]);
      const reserved = await eventMatching(hooks[2].events, /^bound /, "reserved client bound");
      assertMatch(reserved, /ip=10\.61\.0\.42 .*hostname=reserved-node/);
      join(0);
      await eventMatching(
        hooks[0].events,
        /^bound ip=10\.61\.0\.100/,
        "first client takes the one pool address",
      );
      const loser = join(1, ["-n"]); // -n: exit when no lease
      const status = await loser.status;
      assert(!status.success, "the second client must not get a lease");
      assertEquals((await readEvents(hooks[1].events)).some((l) => l.startsWith("bound")), false);
      assertMatch(
        dhcp.necon.output(),
        /msg="no reply" .*mac=02:00:00:00:61:01 .*reason="no free address in subnet 10\.61\.0\.0\/24 \(pools exhausted\)"/,
      );
    });
  },
});

rootTest({
  name: "necon: leases survive a restart; the holder renews, others cannot take the address",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, { clients: 2, config: (br) => subnet(br) });
      const hooks = await Promise.all([0, 1].map((i) => clientScript(dhcp.workDir, `c${i}`)));
      const first = udhcpc(dhcp.clients[0], hooks[0].path);
      await eventMatching(hooks[0].events, /^bound ip=10\.61\.0\.100/, "first bound");
      await dhcp.restart();
      assertEquals((await leases(dhcp.api)).map((l) => l.ip), ["10.61.0.100"]);
      await first.signal("SIGUSR1");
      await eventMatching(hooks[0].events, /^renew ip=10\.61\.0\.100/, "renew after restart");
      // A second client asking for the same address is refused and gets another one.
      udhcpc(dhcp.clients[1], hooks[1].path, ["-r", "10.61.0.100"]);
      const second = await eventMatching(hooks[1].events, /^bound /, "second bound");
      assertMatch(second, /ip=10\.61\.0\.101 /);
    });
  },
});

rootTest({
  name: "necon: ping-before-offer skips an address a host already uses",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, {
        clients: 2,
        config: (br) => ({ ...subnet(br), pingBeforeOffer: true }),
      });
      // A forgotten static address: this host answers pings on the pool's first address.
      await dhcp.clients[0].addAddress("eth0", "10.61.0.100/24");
      const hook = await clientScript(dhcp.workDir, "probe");
      udhcpc(dhcp.clients[1], hook.path);
      assertMatch(await eventMatching(hook.events, /^bound /, "udhcpc bound"), /ip=10\.61\.0\.101 /);
      assertMatch(
        dhcp.necon.output(),
        /msg="address in use by an unknown host; quarantined" ip=10\.61\.0\.100/,
      );
    });
  },
});
