// Wake-on-LAN in a namespace lab: tcpdump captures on the target's side, Wireshark's own WoL dissector
// (tshark) decodes the capture, and the wake state turns "awake" once the sleeping host's link comes up
// and it answers ARP.
import { startCapture, wakeOnLanFilter } from "../support/tcpdump.ts";
import { rootTest, sleep, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { wake, type WakeProgress } from "../../core/liwasc/wake.ts";
import { parseIpv4 } from "../../core/net/ipv4addr.ts";
import { formatMac, parseMac } from "../../core/net/mac.ts";
import { parseSecureOnPassword } from "../../core/net/wol.ts";
import { startScanLab } from "./lab.ts";

rootTest({
  name:
    "liwasc: a wake sends magic packets tshark decodes for the MAC, and turns awake when the host answers ARP",
  tools: ["tcpdump", "tshark"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const sleeper = scanLab.hosts[1];
      await scanLab.hostsNetns.ip("link", "set", sleeper.name, "down");
      const capture = await Deno.makeTempFile({ prefix: "ctpf-wol-", suffix: ".pcap" });
      try {
        const tcpdump = await startCapture(scanLab.hostsNetns, "hosts0", capture, wakeOnLanFilter);
        const progress: WakeProgress[] = [];
        // The "machine" boots 1.5 s after the first packet.
        const booting = sleep(1500).then(() => scanLab.hostsNetns.ip("link", "set", sleeper.name, "up"));
        const final = await wake({
          interface: scanLab.scannerInterface,
          netns: scanLab.scanner.name,
          mac: parseMac(sleeper.mac),
          password: parseSecureOnPassword("01:02:03:04:05:06"),
          followIp: parseIpv4(sleeper.ip),
          probeIntervalMs: 300,
          resendEvery: 3,
          timeoutMs: 10_000,
          onProgress: (step) => progress.push(step),
        });
        await booting;
        assertEquals(final.state, "awake", JSON.stringify(progress));
        assertEquals(formatMac(final.answeredBy!), sleeper.mac);
        assertEquals(progress[0].state, "sent");
        assert(progress.some((step) => step.state === "waiting"), "no waiting step before the host came up");
        assert(final.packetsSent >= 4, `${final.packetsSent} packets: the first pair plus resends`);
        await sleep(200);
        await tcpdump.stop();
        // Wireshark's dissector checks the sync stream and all 16 repetitions before it names a packet WoL.
        const text = new TextDecoder().decode(
          (await new Deno.Command("tshark", {
            args: ["-r", capture, "-Y", "wol", "-V"],
            stdout: "piped",
            stderr: "null",
          }).output()).stdout,
        );
        const packets = [...text.matchAll(/^Wake On LAN, MAC: .*\((\S+)\), password: (\S+)$/gm)];
        const protocols = [...text.matchAll(/\[Protocols in frame: (\S+)\]/g)].map((match) => match[1]);
        // Every packet sent is seen and decoded: raw Ethernet ones and UDP ones (limited + directed broadcast).
        assert(packets.length >= final.packetsSent, text.slice(0, 2000));
        for (const [, mac, password] of packets) {
          assertEquals(mac, sleeper.mac);
          assertEquals(password, "01:02:03:04:05:06");
        }
        assert(protocols.includes("eth:ethertype:wol"), protocols.join(" "));
        assert(protocols.includes("eth:ethertype:ip:udp:wol"), protocols.join(" "));
      } finally {
        await Deno.remove(capture);
      }
    });
  },
});

rootTest({
  name: "liwasc: a wake of a host that never answers times out",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 1);
      await scanLab.hostsNetns.ip("link", "set", scanLab.hosts[0].name, "down");
      const final = await wake({
        interface: scanLab.scannerInterface,
        netns: scanLab.scanner.name,
        mac: parseMac(scanLab.hosts[0].mac),
        followIp: parseIpv4(scanLab.hosts[0].ip),
        probeIntervalMs: 200,
        timeoutMs: 1000,
      });
      assertEquals(final.state, "timed-out");
      assert(final.probes >= 3 && final.elapsedMs >= 1000, JSON.stringify(final));
    });
  },
});
