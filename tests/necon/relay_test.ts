// A relayed client (ISC dhcrelay between two links) gets its address from the relay's subnet.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { clientScript, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

rootTest({
  name: "necon: a request relayed by dhcrelay (giaddr) gets an address from the relay's subnet",
  tools: ["busybox", "dhcrelay"],
  async fn() {
    await withLab(async (lab) => {
      await using dhcp = await startDhcpLab(lab, {
        clients: 1, // the relay's upstream side
        config: (br) => ({
          interfaces: [br],
          subnets: [
            { cidr: "10.61.0.0/24", pools: [{ start: "10.61.0.100", end: "10.61.0.110" }] },
            {
              cidr: "10.62.0.0/24",
              pools: [{ start: "10.62.0.150", end: "10.62.0.160" }],
              routers: ["10.62.0.1"],
            },
          ],
        }),
      });
      const relay = dhcp.clients[0];
      await relay.addAddress("eth0", "10.61.0.2/24");
      await dhcp.server.ip("route", "add", "10.62.0.0/24", "via", "10.61.0.2");
      const client = await lab.netns();
      await lab.veth(relay, "down0", client, "eth0");
      await relay.addAddress("down0", "10.62.0.1/24");
      await relay.up("down0");
      await client.up("eth0");
      relay.spawn(["dhcrelay", "-d", "-4", "-id", "down0", "-iu", "eth0", "10.61.0.1"]);
      const hook = await clientScript(dhcp.workDir, "relayed");
      udhcpc(client, hook.path, ["-t", "8"]);
      const bound = await eventMatching(hook.events, /^bound /, "relayed client bound");
      assertMatch(bound, /ip=10\.62\.0\.150 router=10\.62\.0\.1 /);
      const { leases } = await dhcp.api("ListLeases") as { leases: { ip: string; subnetId: string }[] };
      assertEquals(leases.map((l) => [l.ip, l.subnetId]), [["10.62.0.150", "10.62.0.0/24"]]);
    });
  },
});
