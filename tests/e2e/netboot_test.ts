// The whole chain in a network namespace: a qemu machine with no disk (SeaBIOS + the iPXE ROM of its
// e1000 NIC) gets an address from necon, is told by bofied's default rules to fetch an iPXE script over
// HTTP, loads a kernel and initramfs from bofied, and prints the initramfs marker on its serial console.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { prepareBootTree, startMachine, waitForBoot } from "./machine.ts";

const root = new URL("../../", import.meta.url).pathname;

for (const firmware of ["bios", "uefi"] as const) {
  rootTest({
    name:
      `netboot (${firmware}): a diskless qemu machine boots through necon + bofied (DHCP, iPXE script, kernel over HTTP)`,
    tools: ["qemu-system-x86_64", "gcc", "dpkg-deb"],
    async fn() {
      await withLab(async (lab) => {
        const ns = await lab.netns();
        await ns.up("lo");
        await ns.addTap("tap0");
        await ns.addAddress("tap0", "10.66.0.1/24");
        await ns.up("tap0");
        const work = await Deno.makeTempDir({ prefix: "ctpf-netboot-" });
        try {
          const data = `${work}/data`;
          await prepareBootTree(data, "http://10.66.0.1:8470");
          await Deno.writeTextFile(
            `${work}/necon.json`,
            JSON.stringify({
              interfaces: ["tap0"],
              subnets: [{
                cidr: "10.66.0.0/24",
                pools: [{ start: "10.66.0.100", end: "10.66.0.150" }],
                routers: ["10.66.0.1"],
              }],
            }),
          );
          await using ctpf = await startBinary({
            command: [
              "ip",
              "netns",
              "exec",
              ns.name,
              Deno.execPath(),
              "run",
              "--allow-all",
              `${root}cmd/ctpf.ts`,
            ],
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
          // iPXE (user class "iPXE") was sent to the script, per the default rules.
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
