// HostService.ListInterfaces of a real ctpf inside a namespace the test builds: every interface there,
// with or without addresses, up or down, and nothing from the host's namespace.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertEquals } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { startBinary } from "../support/ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

rootTest({
  name: "api: ListInterfaces shows the namespace's interfaces, addressed or not, up or down",
  async fn() {
    await withLab(async (lab) => {
      const node = await lab.netns();
      const peer = await lab.netns();
      await lab.veth(node, "lan0", peer, "uplink");
      await lab.veth(node, "spare0", peer, "spare1");
      await node.ip("link", "set", "lan0", "address", "02:00:00:00:14:01", "up");
      await node.ip("address", "add", "10.14.0.1/24", "dev", "lan0");
      await using ctpf = await startBinary({
        command: [
          "ip",
          "netns",
          "exec",
          node.name,
          Deno.execPath(),
          "run",
          "--allow-all",
          `${root}cmd/ctpf.ts`,
        ],
      });
      const listed = await node.run(bufCurlCommand(ctpf, "HostService", "ListInterfaces", {}));
      const { interfaces } = JSON.parse(listed.stdout) as {
        interfaces: { name: string; mac?: string; addresses?: string[]; up?: boolean; loopback?: boolean }[];
      };
      assertEquals(interfaces.map((i) => i.name), ["lan0", "lo", "spare0"]);
      const [lan, lo, spare] = interfaces;
      assertEquals([lan.mac, lan.up, lan.addresses?.filter((a) => a.includes("."))], [
        "02:00:00:00:14:01",
        true,
        ["10.14.0.1/24"],
      ]);
      assertEquals([lo.loopback, lo.mac ?? ""], [true, ""]);
      assertEquals([spare.up ?? false, spare.addresses ?? []], [false, []]);
    });
  },
});
