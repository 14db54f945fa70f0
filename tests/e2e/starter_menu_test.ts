// First start, nothing uploaded: a diskless qemu BIOS machine reaches bofied's starter menu. ctpf starts
// with no boot flags and its API on the namespace's loopback only (as scripts/start.sh runs it), so the
// machine can reach nothing but DHCP and TFTP; TFTP is switched on for the machine's link through the API
// the web page uses (SetBootSettings), necon serves the link from a config file. The NIC's ROM is iPXE
// (user class "iPXE"), so the default rules hand it menu.ipxe over TFTP at once; the menu's title on the
// serial console (SeaBIOS copies the screen there) shows that iPXE ran it.
import { rootTest, withLab } from "../harness/mod.ts";
import { waitFor } from "../harness/wait.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { starterMenuTitle } from "../../core/bofied/starter_menu.ts";
import { binaryIn, tapLan, writeTapLanDhcpConfig } from "./lan.ts";
import { startMachine } from "./machine.ts";

rootTest({
  name: "netboot (bios): with only the starter tree, a diskless qemu machine shows the starter menu",
  tools: ["qemu-system-x86_64"],
  async fn() {
    await withLab(async (lab) => {
      const ns = await tapLan(lab);
      const work = await Deno.makeTempDir({ prefix: "ctpf-starter-e2e-" });
      try {
        await writeTapLanDhcpConfig(`${work}/necon.json`);
        await using ctpf = await startBinary({
          command: binaryIn(ns, "ctpf.ts"),
          args: ["--listen", "127.0.0.1:8470", "--dhcp-config", `${work}/necon.json`, "--log-level", "debug"],
          dataDir: `${work}/data`,
        });
        assertMatch(
          ctpf.output(),
          /msg="starter boot tree installed" files=undionly\.kpxe,ipxe\.efi,snponly\.efi,menu\.ipxe/,
        );
        const set = await ns.run(
          bufCurlCommand(ctpf, "BofiedService", "SetBootSettings", { settings: { tftpInterface: "tap0" } }),
        );
        const state = JSON.parse(set.stdout).state;
        assertEquals([state.settings.tftpInterface, state.effectiveBootAddress, state.tftpPort], [
          "tap0",
          "10.66.0.1",
          69,
        ]);

        const serial = `${work}/serial.log`;
        const qemu = startMachine(ns, "tap0", serial, "bios");
        const read = () => Deno.readTextFile(serial).catch(() => "");
        // The title is echoed, then drawn by iPXE's menu with its items: both show the script ran whole.
        const shown = (text: string) =>
          text.includes(starterMenuTitle) && text.includes("Boot from local disk");
        await waitFor(async () => shown(await read()), {
          what: "the starter menu (title and items) on the serial console",
          timeoutMs: 120_000,
          intervalMs: 500,
          describe: async () =>
            `serial:\n${(await read()).slice(-3000)}\nctpf:\n${ctpf.output().slice(-3000)}`,
        });
        await qemu.stop(5000);
        assertMatch(
          ctpf.output(),
          /msg="pxe answer" mac=52:54:00:\S+ answer="boot menu\.ipxe"/,
        );
        assertMatch(ctpf.output(), /msg="tftp sent" client=10\.66\.0\.1\d\d:\d+ file=\/?menu\.ipxe/);
        // The menu got past parsing to its own commands, not an iPXE error.
        const console = await read();
        assertEquals(
          /not found|Exec format error|No such file/i.exec(console)?.[0],
          undefined,
          console.slice(-2000),
        );
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  },
});
