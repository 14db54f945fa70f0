// UDP scan in a namespace lab against real services: dnsmasq answering DNS (53) and TFTP (69, from a
// fresh port) on one host; ports with nothing behind them are closed (ICMP port unreachable); a host
// whose answers are black-holed is open|filtered, as nmap says.
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { udpScan } from "../../core/liwasc/port_scan/udp_scan.ts";
import { blackholeReplies, serveDnsmasq, startScanLab } from "./lab.ts";

rootTest({
  name:
    "liwasc: a UDP scan finds dnsmasq's DNS and TFTP open with their answers, other ports closed, silence open|filtered",
  tools: ["dnsmasq", "ss"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const [served, silent] = scanLab.hosts;
      // The target's kernel would otherwise send one port-unreachable per second or so.
      await scanLab.hostsNetns.run(["sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"]);
      const tftpRoot = await Deno.makeTempDir({ prefix: "ctpf-udp-scan-" });
      try {
        await serveDnsmasq(scanLab, served, tftpRoot);
        await blackholeReplies(scanLab, silent);

        const ports = [53, 67, 69, 123, 137, 161, 500, 1900, 5353];
        const results = await udpScan({
          hosts: [served.ip],
          ports,
          netns: scanLab.scanner.name,
          timeoutMs: 1000,
        });
        const byPort = new Map(results.map((r) => [r.port, r]));
        assertEquals(byPort.get(53)?.state, "open");
        assertEquals(byPort.get(53)?.service, "dns");
        assert(/dnsmasq/i.test(byPort.get(53)?.detail ?? ""), JSON.stringify(byPort.get(53)));
        assertEquals(byPort.get(69)?.state, "open", JSON.stringify(byPort.get(69)));
        assertEquals(byPort.get(69)?.service, "tftp");
        for (const port of [67, 123, 137, 161, 500, 1900, 5353]) {
          assertEquals([port, byPort.get(port)?.state, byPort.get(port)?.reason], [
            port,
            "closed",
            "port-unreach",
          ]);
        }

        const quiet = await udpScan({
          hosts: [silent.ip],
          ports: [53, 161],
          netns: scanLab.scanner.name,
          timeoutMs: 300,
          retries: 1,
        });
        assertEquals(quiet.map((r) => [r.port, r.state, r.reason]), [
          [53, "open|filtered", "no-response"],
          [161, "open|filtered", "no-response"],
        ]);
      } finally {
        await Deno.remove(tftpRoot, { recursive: true });
      }
    });
  },
});
