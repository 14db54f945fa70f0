// The whole chain in a network namespace: a qemu machine with no disk (SeaBIOS + the iPXE ROM of its
// e1000 NIC) gets an address from necon, is told by the test's rules file to fetch an iPXE script over
// HTTP, loads a kernel and initramfs from bofied, and prints the initramfs marker on its serial console.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { prepareBootTree, startMachine, waitForBoot } from "./machine.ts";
import { binaryIn, tapLan, writeTapLanDhcpConfig } from "./lan.ts";

for (const firmware of ["bios", "uefi"] as const) {
  rootTest({
    name:
      `netboot (${firmware}): a diskless qemu machine boots through necon + bofied (DHCP, iPXE script, kernel over HTTP)`,
    tools: ["qemu-system-x86_64", "gcc", "dpkg-deb"],
    async fn() {
      await withLab(async (lab) => {
        const ns = await tapLan(lab);
        const work = await Deno.makeTempDir({ prefix: "ctpf-netboot-" });
        try {
          const data = `${work}/data`;
          await prepareBootTree(data, "http://10.66.0.1:8470");
          await writeTapLanDhcpConfig(`${work}/necon.json`);
          await using ctpf = await startBinary({
            command: binaryIn(ns, "ctpf.ts"),
            args: [
              "--listen",
              "10.66.0.1:8470",
              "--dhcp-config",
              `${work}/necon.json`,
              "--log-level",
              "debug",
            ],
            dataDir: data,
          });
          const serial = `${work}/serial.log`;
          const qemu = startMachine(ns, "tap0", serial, firmware);
          await waitForBoot(serial, () => `ctpf:\n${ctpf.output()}`);
          await qemu.stop(5000);
          assertMatch(ctpf.output(), /msg=ack .*mac=52:54:00/);
          // iPXE (user class "iPXE") was sent to the script, per the rules file (machine.ts).
          assertMatch(
            ctpf.output(),
            /msg="pxe answer" mac=52:54:00:\S+ answer="boot http:\/\/10\.66\.0\.1:8470\/boot\/boot\.ipxe"/,
          );
        } finally {
          await Deno.remove(work, { recursive: true });
        }
      });
    },
  });
}
