// bofied as a proxyDHCP server beside someone else's DHCP server (dnsmasq, addresses only), on one LAN
// bridge in namespaces: the diskless qemu machine gets its address from dnsmasq and its boot file from
// bofied, then boots the iPXE script, kernel and initramfs from bofied over HTTP — from the sendfile port
// (--boot-http-listen), so iPXE's own HTTP client is what fetches through it.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { prepareBootTree, startMachine, waitForBoot } from "./machine.ts";
import { binaryIn, proxyLan, spawnDnsmasq } from "./lan.ts";

rootTest({
  name: "netboot: bofied's proxyDHCP beside dnsmasq boots a diskless qemu machine",
  tools: ["qemu-system-x86_64", "gcc", "dpkg-deb", "dnsmasq"],
  async fn() {
    await withLab(async (lab) => {
      const { lan, dhcp, boot } = await proxyLan(lab);
      const work = await Deno.makeTempDir({ prefix: "ctpf-proxydhcp-" });
      try {
        // Someone else's DHCP server: addresses only, no boot options, nothing written outside `work`.
        const dnsmasq = spawnDnsmasq(dhcp, work, "dnsmasq", [
          "--interface=eth0",
          "--dhcp-range=10.67.0.100,10.67.0.150,1h",
        ]);
        await prepareBootTree(`${work}/data`, "http://10.67.0.1:8069");
        await using bofied = await startBinary({
          command: binaryIn(boot, "bofied.ts"),
          args: [
            "--listen",
            "10.67.0.1:8472",
            "--boot-http-listen",
            "10.67.0.1:8069",
            "--proxy-dhcp-interface",
            "eth0",
            "--log-level",
            "debug",
          ],
          dataDir: `${work}/data`,
        });
        const serial = `${work}/serial.log`;
        const qemu = startMachine(lan, "tap0", serial);
        await waitForBoot(serial, () => `bofied:\n${bofied.output()}\ndnsmasq:\n${dnsmasq.output()}`);
        await qemu.stop(5000);
        assertMatch(bofied.output(), /msg="proxyDHCP answer" port=67 mac=52:54:00/);
        // iPXE was sent to the sendfile port for its script, whose kernel and initramfs are there too (a
        // failed fetch would not have booted).
        assertMatch(bofied.output(), /msg="serving \/boot\/ with sendfile" address=10\.67\.0\.1 port=8069/);
        assertMatch(bofied.output(), /http:\/\/10\.67\.0\.1:8069\/boot\/boot\.ipxe/);
        assertMatch(dnsmasq.output(), /DHCPACK\(eth0\) 10\.67\.0\.1\d\d 52:54:00/);
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  },
});
