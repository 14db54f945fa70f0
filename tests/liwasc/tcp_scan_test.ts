// TCP connect scan in a namespace lab: servers the test starts on one host are found open, every other
// port closed; a host whose answers are black-holed is filtered.
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { tcpConnectScan } from "../../core/liwasc/port_scan/tcp_connect_scan.ts";
import { blackholeReplies, serveTcp, startScanLab } from "./lab.ts";

const openPorts = [22, 80, 631, 8080];

rootTest({
  name:
    "liwasc: a TCP connect scan reports exactly the listening ports open, the rest closed, silence filtered",
  tools: ["socat", "ss"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const [served, silent] = scanLab.hosts;
      await serveTcp(scanLab, served, openPorts);
      await blackholeReplies(scanLab, silent);

      const ports = [...Array.from({ length: 1024 }, (_, i) => i + 1), 8080];
      const started = performance.now();
      const results = await tcpConnectScan({
        hosts: [served.ip],
        ports,
        netns: scanLab.scanner.name,
        timeoutMs: 1000,
      });
      const seconds = (performance.now() - started) / 1000;
      assertEquals(results.length, ports.length);
      assertEquals(results.filter((r) => r.state === "open").map((r) => r.port), openPorts);
      assert(
        results.filter((r) => r.state !== "open").every((r) =>
          r.state === "closed" && r.reason === "conn-refused"
        ),
      );
      assert(seconds < 10, `1025 ports took ${seconds.toFixed(1)} s`);

      const filtered = await tcpConnectScan({
        hosts: [silent.ip],
        ports: [22, 80, 443],
        netns: scanLab.scanner.name,
        timeoutMs: 300,
        retries: 1,
      });
      assertEquals(filtered.map((r) => [r.port, r.state, r.reason]), [
        [22, "filtered", "no-response"],
        [80, "filtered", "no-response"],
        [443, "filtered", "no-response"],
      ]);
      // No socket is left behind in the scanner's namespace: accepted connections were reset.
      const leftover = (await scanLab.scanner.run(["ss", "-tanH"])).stdout.trim();
      assertEquals(leftover, "");
    });
  },
});

rootTest({
  name: "liwasc: a cancelled TCP scan stops early with partial results",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 1);
      await blackholeReplies(scanLab, scanLab.hosts[0]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const started = performance.now();
      const results = await tcpConnectScan({
        hosts: [scanLab.hosts[0].ip],
        ports: Array.from({ length: 100 }, (_, i) => i + 1),
        concurrency: 10,
        timeoutMs: 200,
        retries: 0,
        netns: scanLab.scanner.name,
        signal: controller.signal,
      });
      const elapsed = performance.now() - started;
      assert(elapsed < 1000, `cancel took ${elapsed} ms`);
      assert(results.length > 0 && results.length < 100, `${results.length} results`);
    });
  },
});
