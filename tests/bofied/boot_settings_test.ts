// Boot settings applied live, through the API the page uses (buf curl), in namespaces: TFTP follows the
// chosen interface (served on it, and no longer on the one left), stops when switched off, and proxyDHCP
// starts and stops beside it; no restart anywhere.
import { inNetns, type Netns, rootTest, withLab } from "../harness/mod.ts";
import { assertEquals } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { startBinary } from "../support/ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

/** curl's exit code for a TFTP fetch of menu.ipxe from `address`: 0 served, anything else not. */
async function tftpExitCode(ns: Netns, address: string): Promise<number> {
  const result = await ns.run([
    "curl",
    "-sS",
    "--max-time",
    "3",
    "-o",
    "/dev/null",
    `tftp://${address}/menu.ipxe`,
  ], {
    check: false,
  });
  return result.code;
}

rootTest({
  name: "bofied: TFTP and proxyDHCP follow the boot settings live — moved, switched off, never elsewhere",
  tools: ["curl"],
  async fn() {
    await withLab(async (lab) => {
      const node = await lab.netns(), client = await lab.netns();
      await lab.veth(node, "lan0", client, "eth0");
      await lab.veth(node, "lan1", client, "eth1");
      await node.addAddress("lan0", "10.78.0.1/24");
      await node.addAddress("lan1", "10.79.0.1/24");
      await client.addAddress("eth0", "10.78.0.2/24");
      await client.addAddress("eth1", "10.79.0.2/24");
      for (
        const [ns, link] of [[node, "lan0"], [node, "lan1"], [client, "eth0"], [client, "eth1"]] as const
      ) {
        await ns.up(link);
      }
      await using bofied = await startBinary({
        command: inNetns([Deno.execPath(), "run", "--allow-all", `${root}cmd/bofied.ts`], node.name),
      });
      const set = async (settings: Record<string, string>) => {
        const result = await node.run(
          bufCurlCommand(bofied, "BofiedService", "SetBootSettings", { settings }),
        );
        return JSON.parse(result.stdout).state;
      };

      let state = await set({ tftpInterface: "lan0" });
      assertEquals([state.tftpPort, state.effectiveBootAddress], [69, "10.78.0.1"]);
      assertEquals(await tftpExitCode(client, "10.78.0.1"), 0);
      // Bound to lan0: lan1's address is this machine's too, but a request through lan1 is not served.
      assertEquals(await tftpExitCode(client, "10.79.0.1") !== 0, true, "TFTP answered on lan1");

      state = await set({ tftpInterface: "lan1", proxyDhcpInterface: "lan0" });
      assertEquals([state.tftpPort, state.effectiveBootAddress, state.proxyDhcpServing], [
        69,
        "10.79.0.1",
        true,
      ]);
      assertEquals(await tftpExitCode(client, "10.79.0.1"), 0);
      assertEquals(await tftpExitCode(client, "10.78.0.1") !== 0, true, "TFTP still answered on lan0");
      const listening = (await node.run(["ss", "-Hlunp"])).stdout;
      assertEquals(/:67\b/.test(listening) && /:4011\b/.test(listening), true, listening);

      state = await set({});
      assertEquals([state.tftpPort ?? 0, state.proxyDhcpServing ?? false], [0, false]);
      assertEquals(
        await tftpExitCode(client, "10.79.0.1") !== 0,
        true,
        "TFTP answered after it was switched off",
      );
      assertEquals(/:(67|69|4011)\b/.test((await node.run(["ss", "-Hlunp"])).stdout), false);
    });
  },
});
