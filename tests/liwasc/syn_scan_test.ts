// TCP SYN scan over a raw socket in a namespace lab: the same verdicts as the connect scan for the same
// host (servers the test starts open, the rest closed, a black-holed host filtered), and no connection
// ever reaches the listening servers (the kernel resets each SYN-ACK).
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { synScan } from "../../core/liwasc/port_scan/syn_scan.ts";
import { tcpConnectScan } from "../../core/liwasc/port_scan/tcp_connect_scan.ts";
import { blackholeReplies, filterTcp, serveTcp, serveTcpMany, startScanLab } from "./lab.ts";

const openPorts = [22, 80, 631, 8080];

rootTest({
  name:
    "liwasc: a SYN scan agrees with the connect scan port for port, never completes a handshake, and sees filters",
  tools: ["socat", "ss", "nstat"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const [served, silent] = scanLab.hosts;
      await serveTcp(scanLab, served, openPorts);
      await blackholeReplies(scanLab, silent);
      const accepted = async () =>
        Number(
          /TcpPassiveOpens\s+(\d+)/.exec(
            (await scanLab.hostsNetns.run(["nstat", "-az", "TcpPassiveOpens"])).stdout,
          )?.[1] ?? NaN,
        );
      const acceptedBefore = await accepted();

      const ports = [...Array.from({ length: 1024 }, (_, i) => i + 1), 8080];
      const syn = await synScan({
        hosts: [served.ip],
        ports,
        netns: scanLab.scanner.name,
        roundTimeoutMs: 300,
      });
      assertEquals(syn.length, ports.length);
      assertEquals(syn.filter((r) => r.state === "open").map((r) => r.port), openPorts);
      assert(
        syn.filter((r) => r.state !== "open").every((r) => r.state === "closed" && r.reason === "reset"),
      );
      assertEquals(await accepted() - acceptedBefore, 0, "a half-open scan must not complete a handshake");

      const connect = await tcpConnectScan({ hosts: [served.ip], ports, netns: scanLab.scanner.name });
      assertEquals(syn.map((r) => [r.port, r.state]), connect.map((r) => [r.port, r.state]));

      const filtered = await synScan({
        hosts: [silent.ip],
        ports: [22, 80, 443],
        netns: scanLab.scanner.name,
        retries: 1,
        roundTimeoutMs: 200,
      });
      assertEquals(filtered.map((r) => [r.port, r.state, r.reason]), [
        [22, "filtered", "no-response"],
        [80, "filtered", "no-response"],
        [443, "filtered", "no-response"],
      ]);
    });
  },
});

rootTest({
  name:
    "liwasc: a SYN scan of many hosts finds each host's own open ports, and ports a firewall drops are filtered after one retry",
  tools: ["iptables", "ss"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 12);
      const { hosts } = scanLab;
      const plan = new Map(hosts.map((host, i) => [host, [22, 100 + i, ...(i % 4 === 0 ? [8080] : [])]]));
      await serveTcpMany(scanLab, plan);
      // Dropped: an open port of host 0 and a closed one of host 3.
      await filterTcp(scanLab, hosts[0], [22]);
      await filterTcp(scanLab, hosts[3], [443]);
      const ports = [...Array.from({ length: 300 }, (_, i) => i + 1), 443, 8080];
      let sent = 0;
      const results = await synScan({
        hosts: hosts.map((host) => host.ip),
        ports,
        netns: scanLab.scanner.name,
        retries: 1,
        probes: { sent: (_kind, count = 1) => sent += count, answered: () => {} },
      });
      assertEquals(results.length, hosts.length * ports.length);
      const verdict = (state: string) =>
        results.filter((r) => r.state === state).map((r) => `${r.host}:${r.port}`).sort();
      const expectedOpen = [...plan].flatMap(([host, open]) =>
        open.filter((port) => !(host === hosts[0] && port === 22)).map((port) => `${host.ip}:${port}`)
      ).sort();
      assertEquals(verdict("open"), expectedOpen);
      assertEquals(verdict("filtered"), [`${hosts[0].ip}:22`, `${hosts[3].ip}:443`]);
      assert(results.every((r) => r.state !== "filtered" || r.reason === "no-response"));
      assertEquals(
        sent,
        hosts.length * ports.length + 2,
        "each filtered port is asked once more, the rest once",
      );
    });
  },
});
