// Which replies from another port of the target count. TFTP answers from a new port (its transfer ID,
// RFC 1350 §4), so the scan takes a TFTP answer from anywhere on the target as proof that 69 is open. Any
// other reply from another port is no answer to the probe (nmap ignores it too): a junk reply to the TFTP
// probe, or a reply from elsewhere to the SNMP probe, leaves the port open|filtered, as silence would.
import { rootTest, withLab } from "../harness/mod.ts";
import { assertEquals } from "../support/assert.ts";
import { UdpSocket, withNetns } from "../../core/sys/mod.ts";
import { udpScan } from "../../core/liwasc/port_scan/udp_scan.ts";
import { startScanLab } from "./lab.ts";

/**
 * A UDP service on `ip`:`port` in `netns` that never answers from that port: each datagram is answered
 * with `reply` from `ip`:`answerPort`. Stops when `signal` aborts.
 */
function answerFromNewPort(
  netns: string,
  ip: string,
  port: number,
  answerPort: number,
  reply: Uint8Array,
  signal: AbortSignal,
): Promise<void> {
  const [listener, answerer] = withNetns(netns, () => [
    UdpSocket.open({ address: ip, port }),
    UdpSocket.open({ address: ip, port: answerPort }),
  ]);
  return (async () => {
    try {
      for (;;) {
        const request = await listener.receive({ signal });
        answerer.sendTo(reply, request.address, request.port);
      }
    } catch {
      // Aborted: the test is over.
    } finally {
      listener.close();
      answerer.close();
    }
  })();
}

const junk = new TextEncoder().encode("not an answer");
// TFTP ERROR 1, "nope" (RFC 1350 §5): what a TFTP server sends for a file it does not have.
const tftpError = Uint8Array.of(0, 5, 0, 1, ...new TextEncoder().encode("nope"), 0);

rootTest({
  name: "liwasc: a reply from another port of the target opens only TFTP's port, and only a TFTP answer",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const [junky, tftp] = scanLab.hosts;
      const stop = new AbortController();
      const hosts = scanLab.hostsNetns.name;
      const services = [
        answerFromNewPort(hosts, junky.ip, 69, 40069, junk, stop.signal),
        answerFromNewPort(hosts, junky.ip, 161, 40161, junk, stop.signal),
        // The control: the same rig with a real TFTP answer, so the rig's replies do reach the scanner.
        answerFromNewPort(hosts, tftp.ip, 69, 40069, tftpError, stop.signal),
      ];
      try {
        const results = await udpScan({
          hosts: [junky.ip, tftp.ip],
          ports: [69, 161],
          netns: scanLab.scanner.name,
          timeoutMs: 500,
          retries: 0,
        });
        const verdicts = results.filter((r) => !(r.host === tftp.ip && r.port === 161))
          .map((r) => [r.host, r.port, r.state, r.reason, r.service])
          .sort((a, b) => `${a[0]}:${a[1]}`.localeCompare(`${b[0]}:${b[1]}`));
        assertEquals(verdicts, [
          [junky.ip, 161, "open|filtered", "no-response", undefined],
          [junky.ip, 69, "open|filtered", "no-response", undefined],
          [tftp.ip, 69, "open", "udp-response", "tftp"],
        ]);
      } finally {
        stop.abort();
        await Promise.all(services);
      }
    });
  },
});
