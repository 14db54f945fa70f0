// The liwasc binary in a 50-host namespace lab, driven through buf curl (the real CLI): a node scan finds
// every host with its vendor and streams them, a port scan reports the test's TCP and UDP servers
// exactly, a wake turns awake when the host comes back, and bad requests get clear errors.
import { MetricsText } from "../../core/testing/metrics.ts";
import { type Netns, rootTest, sleep, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import type { RunningBinary } from "../support/ctpf_process.ts";
import {
  addLink,
  callLiwasc,
  labVendorPrefixes,
  serveDnsmasq,
  serveTcp,
  startLiwasc,
  startScanLab,
} from "./lab.ts";

const api = callLiwasc;

/** The binary's /metrics, read from inside the scanner's namespace where it listens. */
async function metricsOf(scanner: Netns, liwasc: RunningBinary): Promise<MetricsText> {
  const auth = `Authorization: Bearer ${liwasc.adminToken}`;
  const scraped = await scanner.run(["curl", "-sS", "--max-time", "10", "-H", auth, `${liwasc.url}/metrics`]);
  return new MetricsText(scraped.stdout);
}

async function untilDone(scanner: Netns, liwasc: RunningBinary, id: string, timeoutMs: number) {
  let last: Record<string, unknown> = {};
  await waitFor(async () => {
    const { scans } = await api(scanner, liwasc, "ListScans", { limit: 10 });
    last = (scans ?? []).find((scan: { id: string }) => scan.id === id) ?? {};
    return last.state !== undefined && last.state !== "SCAN_STATE_RUNNING";
  }, { what: `scan ${id} to finish`, timeoutMs, intervalMs: 200, describe: () => JSON.stringify(last) });
  return last;
}

rootTest({
  name: "liwasc: node scan, port scan and wake through the API in a 50-host lab; bad requests refused",
  tools: ["socat", "dnsmasq", "ss"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 50);
      const { scanner, hostsNetns, hosts } = scanLab;
      const [served, sleeper] = hosts;
      await hostsNetns.run(["sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"]);
      await serveTcp(scanLab, served, [22, 80]);
      await serveDnsmasq(scanLab, served);

      await using liwasc = await startLiwasc(scanner, scanLab.scannerInterface);
      const nodeStream = scanner.spawn(bufCurlCommand(liwasc, "LiwascService", "SubscribeToNodes", {}));

      const metadata = await api(scanner, liwasc, "GetScannerMetadata");
      assertEquals(metadata.interfaces[0].name, "scan0");
      assertEquals(metadata.interfaces[0].subnets, [`${scanLab.scannerIp}/24`]);

      const { scan } = await api(scanner, liwasc, "StartNodeScan", {});
      assertEquals(scan.state, "SCAN_STATE_RUNNING");
      const finished = await untilDone(scanner, liwasc, scan.id, 20_000);
      assertEquals([finished.state, finished.found, finished.total], ["SCAN_STATE_DONE", 50, 253]);
      const { nodes } = await api(scanner, liwasc, "ListNodes");
      assertEquals(nodes.length, 50);
      for (const [index, host] of hosts.entries()) {
        const node = nodes.find((n: { mac: string }) => n.mac === host.mac);
        assert(node, `${host.name} ${host.mac} not listed`);
        assertEquals(node.ips, [host.ip]);
        assert(node.online, `${host.name} offline`);
        assertMatch(node.vendor, labVendorPrefixes[index % labVendorPrefixes.length].vendor);
      }
      await waitFor(() => hosts.every((host) => nodeStream.output().includes(`"${host.mac}"`)), {
        what: "all 50 nodes on the stream",
        timeoutMs: 5000,
        describe: () => nodeStream.output().slice(-2000),
      });
      // 253 addresses asked, the silent ones once more; every host replied at least once.
      let metrics = await metricsOf(scanner, liwasc);
      const arpSent = metrics.value("ctpf_liwasc_probes_sent_total", { kind: "arp" });
      assert(arpSent >= 253 + 203 && arpSent <= 2 * 253, `ARP requests sent: ${arpSent}`);
      assert(metrics.value("ctpf_liwasc_replies_received_total", { kind: "arp" }) >= 50);
      assertEquals(
        [
          metrics.value("ctpf_liwasc_scans_started_total", { kind: "node" }),
          metrics.value("ctpf_liwasc_scans_total", { kind: "node", result: "done" }),
          metrics.value("ctpf_liwasc_scans_running"),
          metrics.value("ctpf_liwasc_nodes_found_total"),
          metrics.value("ctpf_liwasc_nodes_known"),
          metrics.value("ctpf_liwasc_nodes_online"),
        ],
        [1, 1, 0, 50, 50, 50],
      );

      const portScan = await api(scanner, liwasc, "StartPortScan", {
        ip: served.ip,
        tcpPorts: "1-1024",
        udpPorts: "53,123,161",
        timeoutMs: 500,
      });
      const portsDone = await untilDone(scanner, liwasc, portScan.scan.id, 30_000);
      // dnsmasq answers DNS over TCP too: 22, 53 and 80 over TCP, 53 over UDP.
      assertEquals([portsDone.state, portsDone.found, portsDone.total], ["SCAN_STATE_DONE", 4, 1027]);
      const detail = await api(scanner, liwasc, "GetNode", { mac: served.mac });
      assertEquals(detail.node.openPorts, ["22/tcp", "53/tcp", "80/tcp", "53/udp"]);
      const byKey = new Map(
        detail.ports.map((p: { port: number; protocol: string }) => [`${p.port}/${p.protocol}`, p]),
      );
      assertEquals(byKey.size, 1027);
      assertMatch(JSON.stringify(byKey.get("22/tcp")), /"service":"ssh"/);
      assertMatch(
        JSON.stringify(byKey.get("53/udp")),
        /"state":"open".*"service":"dns".*"detail":"[^"]*dnsmasq/,
      );
      assertMatch(JSON.stringify(byKey.get("161/udp")), /"state":"closed"/);
      assertMatch(JSON.stringify(byKey.get("443/tcp")), /"state":"closed".*"service":"https"/);
      // Every TCP port answered (accepted or refused), so none was asked twice; the three UDP ports too.
      metrics = await metricsOf(scanner, liwasc);
      assertEquals(
        ["probes_sent", "replies_received"].flatMap((what) =>
          ["tcp_connect", "udp"].map((kind) => metrics.value(`ctpf_liwasc_${what}_total`, { kind }))
        ),
        [1024, 3, 1024, 3],
      );

      const synScan = await api(scanner, liwasc, "StartPortScan", {
        ip: served.ip,
        tcpPorts: "20-90",
        tcpMethod: "TCP_SCAN_METHOD_SYN",
      });
      const synDone = await untilDone(scanner, liwasc, synScan.scan.id, 20_000);
      assertEquals([synDone.state, synDone.found, synDone.total, synDone.ports], [
        "SCAN_STATE_DONE",
        3,
        71,
        "tcp 20-90 (syn)",
      ]);
      metrics = await metricsOf(scanner, liwasc);
      assertEquals(
        [
          metrics.value("ctpf_liwasc_probes_sent_total", { kind: "syn" }),
          metrics.value("ctpf_liwasc_replies_received_total", { kind: "syn" }),
          metrics.value("ctpf_liwasc_scans_total", { kind: "port", result: "done" }),
        ],
        [71, 71, 2],
      );

      // The sleeper goes down, is woken, and comes back 1.5 s later.
      await hostsNetns.ip("link", "set", sleeper.name, "down");
      const started = await api(scanner, liwasc, "StartWake", { mac: sleeper.mac, timeoutSeconds: 15 });
      assertEquals(started.wake.ip, sleeper.ip);
      await sleep(1500);
      await hostsNetns.ip("link", "set", sleeper.name, "up");
      let wakes: { state: string; packetsSent?: number }[] = [];
      await waitFor(async () => {
        wakes = (await api(scanner, liwasc, "GetNode", { mac: sleeper.mac })).wakes ?? [];
        return wakes[0]?.state === "WAKE_STATE_AWAKE";
      }, {
        what: "the wake to turn awake",
        timeoutMs: 15_000,
        intervalMs: 300,
        describe: () => JSON.stringify(wakes),
      });
      metrics = await metricsOf(scanner, liwasc);
      assertEquals(
        [
          metrics.value("ctpf_liwasc_wakes_started_total"),
          metrics.value("ctpf_liwasc_wakes_total", { result: "awake" }),
          metrics.value("ctpf_liwasc_wakes_total"),
        ],
        [1, 1, 1],
      );
      // An Ethernet frame and a UDP broadcast at least; ARP follow-ups count as ARP probes.
      assert(metrics.value("ctpf_liwasc_magic_packets_sent_total") >= 2);
      assert(metrics.value("ctpf_liwasc_probes_sent_total", { kind: "arp" }) > arpSent);

      const refusals: [string, unknown, RegExp][] = [
        ["StartNodeScan", { interface: "eth9" }, /invalid_argument.*eth9 is not a scanner interface/],
        ["StartNodeScan", { ips: ["10.99.0.1"] }, /invalid_argument.*none of the scanner's subnets/],
        ["StartNodeScan", { ips: ["300.1.1.1"] }, /invalid_argument.*ips\[0\]/],
        ["StartPortScan", { ip: served.ip, tcpPorts: "1-70000" }, /invalid_argument.*tcp_ports.*70000/],
        ["StartPortScan", { ip: "192.0.2.99" }, /invalid_argument.*none of the scanner's subnets/],
        ["StartWake", { mac: "02:00:00:zz:00:01" }, /invalid_argument.*mac/],
        ["GetPortMetadata", { port: 0, protocol: "tcp" }, /invalid_argument.*port/],
        ["GetNode", { mac: "02:00:00:00:00:99" }, /not_found/],
        ["CancelScan", { id: "no-such-scan" }, /not_found/],
      ];
      for (const [method, body, expected] of refusals) {
        const answer = await api(scanner, liwasc, method, body);
        assertMatch(JSON.stringify(answer.error ?? answer), expected, `${method} ${JSON.stringify(body)}`);
      }
      const anonymous = await scanner.run(
        bufCurlCommand({ ...liwasc, adminToken: "" }, "LiwascService", "StartNodeScan", {}),
        { check: false },
      );
      assertMatch(anonymous.stderr, /unauthenticated/);
    });
  },
});

rootTest({
  name: "liwasc: two scanner interfaces: each node is found on its own link, a scan can take one",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 3);
      const second = await addLink(scanLab, lab, 1, 4, "10.78.0");
      await using liwasc = await startLiwasc(scanLab.scanner, `scan0,${second.scannerInterface}`);
      const { scanner } = scanLab;
      const metadata = await api(scanner, liwasc, "GetScannerMetadata");
      assertEquals(
        metadata.interfaces.map((i: { name: string; subnets: string[] }) => `${i.name} ${i.subnets}`),
        ["scan0 10.77.0.1/24", "scan1 10.78.0.1/24"],
      );
      const onlyVlan = await api(scanner, liwasc, "StartNodeScan", { interface: "scan1" });
      assertEquals(
        [(await untilDone(scanner, liwasc, onlyVlan.scan.id, 20_000)).found, onlyVlan.scan.target],
        [4, "scan1"],
      );
      assertEquals((await api(scanner, liwasc, "ListNodes")).nodes.length, 4);
      const both = await api(scanner, liwasc, "StartNodeScan", {});
      assertEquals((await untilDone(scanner, liwasc, both.scan.id, 20_000)).found, 7);
      const { nodes } = await api(scanner, liwasc, "ListNodes");
      const where = new Map(nodes.map((n: { mac: string; interface: string }) => [n.mac, n.interface]));
      for (const host of scanLab.hosts) assertEquals(where.get(host.mac), "scan0", host.name);
      for (const host of second.hosts) assertEquals(where.get(host.mac), "scan1", host.name);
    });
  },
});

rootTest({
  name: "liwasc: unticking the interface a node scan runs on stops the scan; it cannot be started again",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const { scanner } = scanLab;
      await using liwasc = await startLiwasc(scanner, scanLab.scannerInterface);
      const { settings } = await api(scanner, liwasc, "GetSettings");
      assertEquals(settings.scanInterfaces, ["scan0"]);
      // 253 addresses at 10 a second: about 25 s, so the scan is surely running when the choice changes.
      await api(scanner, liwasc, "SetSettings", { settings: { ...settings, arpRate: 10 } });
      const { scan } = await api(scanner, liwasc, "StartNodeScan", {});
      await sleep(500);
      const unticked = await api(scanner, liwasc, "SetSettings", {
        settings: { ...settings, arpRate: 10, scanInterfaces: [] },
      });
      assertEquals(unticked.settings.scanInterfaces, undefined);
      const stopped = await untilDone(scanner, liwasc, scan.id, 5000);
      assertEquals(stopped.state, "SCAN_STATE_CANCELLED");
      const ranMs = Date.parse(String(stopped.finished)) - Date.parse(String(stopped.started));
      assert(ranMs < 5000, `ran ${ranMs} ms: not stopped early`);
      const refused = await api(scanner, liwasc, "StartNodeScan", {});
      assertEquals(refused.error.code, "failed_precondition");
      assertMatch(refused.error.message, /no scan interface is chosen/);
    });
  },
});
