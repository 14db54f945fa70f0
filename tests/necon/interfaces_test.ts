// necon serves exactly the interfaces it is told, each from its own subnet, and picks up a newly named
// interface live, without a restart.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { clientScript, readEvents, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

rootTest({
  name: "necon: only named interfaces are served, each from its own subnet; a new one is served live",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      const subnets = [
        { cidr: "10.61.0.0/24", pools: [{ start: "10.61.0.100", end: "10.61.0.110" }] },
        { cidr: "10.63.0.0/24", pools: [{ start: "10.63.0.100", end: "10.63.0.110" }] },
        { cidr: "10.64.0.0/24", pools: [{ start: "10.64.0.100", end: "10.64.0.110" }] },
      ];
      await using dhcp = await startDhcpLab(lab, {
        clients: 1,
        config: (br) => ({ interfaces: [br, "s1"], subnets }),
      });
      const extra = [];
      for (const [device, address] of [["s1", "10.63.0.1/24"], ["s2", "10.64.0.1/24"]]) {
        const client = await lab.netns();
        await lab.veth(dhcp.server, device, client, "eth0");
        await dhcp.server.addAddress(device, address);
        await dhcp.server.up(device);
        await client.up("eth0");
        extra.push(client);
      }
      // s1 did not exist when necon started: applying the same configuration again picks it up.
      await dhcp.api("SetConfig", { config: { interfaces: ["br0", "s1"], subnets } });
      const hooks = await Promise.all(["br", "s1", "s2"].map((name) => clientScript(dhcp.workDir, name)));
      udhcpc(dhcp.clients[0], hooks[0].path);
      udhcpc(extra[0], hooks[1].path);
      const unserved = udhcpc(extra[1], hooks[2].path, ["-t", "3", "-n"]);
      assertMatch(await eventMatching(hooks[0].events, /^bound /, "bridge client"), /ip=10\.61\.0\.100 /);
      assertMatch(await eventMatching(hooks[1].events, /^bound /, "s1 client"), /ip=10\.63\.0\.100 /);
      assertEquals((await unserved.status).success, false, "s2 is not named: no lease");
      assertEquals((await readEvents(hooks[2].events)).filter((l) => l.startsWith("bound")), []);

      await dhcp.api("SetConfig", { config: { interfaces: ["br0", "s1", "s2"], subnets } });
      udhcpc(extra[1], hooks[2].path);
      assertMatch(
        await eventMatching(hooks[2].events, /^bound /, "s2 client, once named"),
        /ip=10\.64\.0\.100 /,
      );
    });
  },
});
