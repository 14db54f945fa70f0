// One StartPortScan call with `wait`, as a user scanning a block runs it: the liwasc binary in a
// namespace lab scans several hosts (a CIDR block and an address, one of the block's addresses silent,
// one served port firewalled) and answers when done with exactly the open ports the test serves; blocks
// too big or off the scanner's subnets are refused before anything is sent.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { callLiwasc, filterTcp, serveTcpMany, startLiwasc, startScanLab } from "./lab.ts";

rootTest({
  name: "liwasc: StartPortScan with ips and wait scans a block in one call and answers with its open ports",
  tools: ["iptables", "curl"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 6);
      const { scanner, hosts } = scanLab;
      const plan = new Map(hosts.map((host, i) => [host, [22, 100 + i]]));
      await serveTcpMany(scanLab, plan);
      await filterTcp(scanLab, hosts[1], [101, 25]);
      await using liwasc = await startLiwasc(scanner, scanLab.scannerInterface);

      // 10.77.0.8/29 holds .9 (no host there) to .14; .15 is named on its own.
      const answer = await callLiwasc(scanner, liwasc, "StartPortScan", {
        ips: ["10.77.0.8/29", "10.77.0.15"],
        tcpPorts: "20-30,100-110",
        tcpMethod: "TCP_SCAN_METHOD_SYN",
        wait: true,
      });
      assertEquals(
        [answer.scan?.state, answer.scan?.target, answer.scan?.total, answer.scan?.done],
        ["SCAN_STATE_DONE", "10.77.0.8/29, 10.77.0.15", 7 * 22, 7 * 22],
      );
      const open = (answer.openPorts ?? []).map((port: { ip: string; port: number }) =>
        `${port.ip}:${port.port}`
      );
      const expected = [...plan].flatMap(([host, ports]) =>
        ports.filter((port) => !(host === hosts[1] && port === 101)).map((port) => `${host.ip}:${port}`)
      );
      assertEquals(open.sort(), expected.sort());
      assertEquals(answer.scan.found, expected.length);

      for (
        const [body, expectedError] of [
          [{ ips: ["10.77.0.0/16"] }, /invalid_argument.*65534 hosts; a port scan takes at most 1024/],
          [{ ips: ["10.99.0.0/30"] }, /invalid_argument.*10\.99\.0\.1 \(of 10\.99\.0\.0\/30\) is in none/],
          [{ ip: "", ips: [] }, /invalid_argument.*no address/],
          [
            { ips: ["10.77.0.0/24"], tcpPorts: "all" },
            /invalid_argument.*254 hosts × 65535 ports is more than/,
          ],
        ] as const
      ) {
        const refused = await callLiwasc(scanner, liwasc, "StartPortScan", { ...body, wait: true });
        assertMatch(JSON.stringify(refused.error ?? refused), expectedError);
      }
    });
  },
});
