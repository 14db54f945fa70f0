// liwasc's port verdicts against nmap's for the same host in the same lab: TCP (connect and SYN against
// nmap -sT / -sS) and UDP (nmap -sU), port for port. nmap is a test tool (scripts/setup.sh --test): the
// test fails, naming it, where nmap is missing, rather than passing unseen. One verdict of nmap's is
// wrong and overruled from a capture of its scan: TFTP's answer from a new port (tftp_transfer_id.ts).
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { synScan } from "../../core/liwasc/port_scan/syn_scan.ts";
import { tcpConnectScan } from "../../core/liwasc/port_scan/tcp_connect_scan.ts";
import { udpScan } from "../../core/liwasc/port_scan/udp_scan.ts";
import { blackholeReplies, serveDnsmasq, serveTcp, startScanLab } from "./lab.ts";
import { captureUdp, overruleDroppedTftpAnswers, tftpAnswersFromNewPort } from "./tftp_transfer_id.ts";

/**
 * nmap's verdict per port from its grepable output: the listed ports, and the "Ignored State" that
 * covers the rest of `ports`.
 */
function nmapVerdicts(output: string, ports: number[]): Map<number, string> {
  const verdicts = new Map<number, string>();
  const ignored = /Ignored State: (\S+)/.exec(output)?.[1];
  if (ignored) { for (const port of ports) verdicts.set(port, ignored); }
  const listed = /Ports: ([^\t\n]*)/.exec(output)?.[1] ?? "";
  for (const entry of listed.split(", ").filter(Boolean)) {
    const [port, state] = entry.split("/");
    verdicts.set(Number(port), state);
  }
  return verdicts;
}

rootTest({
  name: "liwasc: TCP and UDP verdicts match nmap's port for port on the same hosts",
  tools: ["nmap", "socat", "dnsmasq", "ss", "tcpdump", "tshark"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const [served, silent] = scanLab.hosts;
      await scanLab.hostsNetns.run(["sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"]);
      const tftpRoot = await Deno.makeTempDir({ prefix: "ctpf-nmap-" });
      try {
        await serveTcp(scanLab, served, [22, 80, 631, 8080]);
        await serveDnsmasq(scanLab, served, tftpRoot);
        await blackholeReplies(scanLab, silent);
        const nmap = async (...args: string[]) =>
          (await scanLab.scanner.run(["nmap", "-n", "-Pn", "-oG", "-", ...args], { timeoutMs: 120_000 }))
            .stdout;
        const tcpPorts = [...Array.from({ length: 1024 }, (_, i) => i + 1), 8080];
        const tcpSpec = "1-1024,8080";
        const ours = (results: { port: number; state: string }[]) =>
          new Map(results.map((r) => [r.port, r.state]));
        const netns = scanLab.scanner.name;

        const connect = ours(await tcpConnectScan({ hosts: [served.ip], ports: tcpPorts, netns }));
        assertEquals(connect, nmapVerdicts(await nmap("-sT", `-p${tcpSpec}`, served.ip), tcpPorts));
        const syn = ours(await synScan({ hosts: [served.ip], ports: tcpPorts, netns }));
        assertEquals(syn, nmapVerdicts(await nmap("-sS", `-p${tcpSpec}`, served.ip), tcpPorts));

        const udpPorts = [53, 67, 69, 123, 137, 161, 500, 1900, 5353];
        const udp = ours(await udpScan({ hosts: [served.ip], ports: udpPorts, netns }));
        const nmapUdp = await captureUdp(
          scanLab.scanner,
          scanLab.scannerInterface,
          served.ip,
          () => nmap("-sU", `-p${udpPorts.join(",")}`, served.ip),
        );
        // dnsmasq's TFTP answered nmap's requests to 69 from a new port, which nmap does not match.
        const dropped = tftpAnswersFromNewPort(nmapUdp.datagrams, served.ip, udpPorts);
        assert(dropped.length > 0, "no TFTP answer from a new port in the capture of nmap's scan");
        assertEquals(
          udp,
          overruleDroppedTftpAnswers(nmapVerdicts(nmapUdp.result, udpPorts), dropped),
        );

        const silentTcp = ours(
          await tcpConnectScan({ hosts: [silent.ip], ports: [22, 80], netns, timeoutMs: 300 }),
        );
        assertEquals(silentTcp, nmapVerdicts(await nmap("-sT", "-p22,80", silent.ip), [22, 80]));
        const silentUdp = ours(
          await udpScan({ hosts: [silent.ip], ports: [53, 161], netns, timeoutMs: 300 }),
        );
        assertEquals(silentUdp, nmapVerdicts(await nmap("-sU", "-p53,161", silent.ip), [53, 161]));
      } finally {
        await Deno.remove(tftpRoot, { recursive: true });
      }
    });
  },
});
