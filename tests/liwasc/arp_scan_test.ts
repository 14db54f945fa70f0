// liwasc's ARP scan against 50 hosts with distinct MACs in a namespace lab, and against arp-scan when it
// is installed (same lab, same run).
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { arpScan } from "../../core/liwasc/arp_scan.ts";
import { subnetsOf, targetsOf } from "../../core/liwasc/targets.ts";
import { formatIpv4, parseIpv4 } from "../../core/net/ipv4addr.ts";
import { formatMac } from "../../core/net/mac.ts";
import { startScanLab } from "./lab.ts";

rootTest({
  name: "liwasc: an ARP scan of a /24 finds all 50 hosts with their MACs, and nothing else",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 50);
      const subnets = subnetsOf(scanLab.scannerInterface, scanLab.scanner.name);
      const targets = targetsOf(subnets);
      assertEquals(targets.length, 253);
      const sightings: string[] = [];
      const result = await arpScan({
        interface: scanLab.scannerInterface,
        netns: scanLab.scanner.name,
        targets,
        retries: 1,
        roundTimeoutMs: 300,
        onSighting: (sighting) => sightings.push(formatIpv4(sighting.ip)),
      });
      const found = new Map(
        [...result.hosts].map(([ip, macs]) => [formatIpv4(ip), macs.map((m) => formatMac(m))]),
      );
      assertEquals(found.size, 50, `found ${[...found.keys()].join(" ")}`);
      for (const host of scanLab.hosts) assertEquals(found.get(host.ip), [host.mac], host.name);
      assertEquals(new Set(sightings).size, 50);
      // Round 1 asks all 253; round 2 only the 203 silent ones.
      assertEquals(result.requestsSent, 253 + 203);
      assertEquals(result.malformed, 0);
    });
  },
});

rootTest({
  name:
    "liwasc: an address answered by two MACs is reported as a conflict; a scoped scan asks only its nodes",
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 3);
      // A second host claims h1's address.
      await scanLab.hostsNetns.ip(
        "link",
        "add",
        "dup",
        "link",
        "hosts0",
        "address",
        "02:aa:00:00:00:01",
        "type",
        "macvlan",
        "mode",
        "bridge",
      );
      await scanLab.hostsNetns.ip("addr", "add", `${scanLab.hosts[1].ip}/32`, "dev", "dup");
      await scanLab.hostsNetns.up("dup");
      const subnets = subnetsOf(scanLab.scannerInterface, scanLab.scanner.name);
      const result = await arpScan({
        interface: scanLab.scannerInterface,
        netns: scanLab.scanner.name,
        targets: targetsOf(subnets, [parseIpv4(scanLab.hosts[1].ip), parseIpv4(scanLab.hosts[2].ip)]),
        retries: 0,
        roundTimeoutMs: 300,
      });
      assertEquals(result.requestsSent, 2);
      assertEquals(
        new Set(result.hosts.get(parseIpv4(scanLab.hosts[1].ip))!.map((m) => formatMac(m))),
        new Set([scanLab.hosts[1].mac, "02:aa:00:00:00:01"]),
      );
      assertEquals(result.hosts.get(parseIpv4(scanLab.hosts[2].ip))!.map((m) => formatMac(m)), [
        scanLab.hosts[2].mac,
      ]);
      assert(!result.hosts.has(parseIpv4(scanLab.hosts[0].ip)), "an unasked host was reported");
    });
  },
});
