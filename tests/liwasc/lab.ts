// A scanning lab: the scanner's namespace joined by a veth pair to a hosts namespace where each "host"
// is a macvlan interface with its own MAC and address. arp_ignore=1 makes each answer ARP only for its
// own address, with its own MAC, as separate machines would.
import type { Lab, Netns } from "../harness/mod.ts";
import { run } from "../harness/mod.ts";
import { startBinary } from "../support/ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

export interface ScanHost {
  name: string;
  ip: string;
  mac: string;
}

export interface ScanLab {
  scanner: Netns;
  hostsNetns: Netns;
  /** The scanner's interface toward the hosts. */
  scannerInterface: string;
  scannerIp: string;
  hosts: ScanHost[];
}

/** MAC prefixes of real vendors (IEEE MA-L), cycled over the hosts so vendor lookups can be checked. */
export const labVendorPrefixes = [
  { prefix: "00:00:0c", vendor: /cisco/i },
  { prefix: "00:1b:21", vendor: /intel/i },
  { prefix: "b8:27:eb", vendor: /raspberry/i },
  { prefix: "00:50:56", vendor: /vmware/i },
  { prefix: "3c:22:fb", vendor: /apple/i },
];

export async function startScanLab(lab: Lab, hostCount: number, subnet = "10.77.0"): Promise<ScanLab> {
  if (hostCount > 200) throw new RangeError("the lab's /24 holds at most 200 hosts");
  const scanner = await lab.netns({ ipv6: false });
  const hostsNetns = await lab.netns({ ipv6: false });
  await lab.veth(scanner, "scan0", hostsNetns, "hosts0");
  await scanner.addAddress("scan0", `${subnet}.1/24`);
  await scanner.up("scan0");
  await hostsNetns.up("hosts0");
  for (const [key, value] of [["arp_ignore", "1"], ["arp_announce", "2"]]) {
    await hostsNetns.run(["sysctl", "-qw", `net.ipv4.conf.all.${key}=${value}`]);
  }
  const hosts: ScanHost[] = [];
  const batch: string[] = [];
  for (let i = 0; i < hostCount; i++) {
    const { prefix } = labVendorPrefixes[i % labVendorPrefixes.length];
    const host = {
      name: `h${i}`,
      ip: `${subnet}.${10 + i}`,
      mac: `${prefix}:77:${(i >> 8).toString(16).padStart(2, "0")}:${
        (i & 0xff).toString(16).padStart(2, "0")
      }`,
    };
    hosts.push(host);
    batch.push(
      `link add ${host.name} link hosts0 address ${host.mac} type macvlan mode bridge`,
      `addr add ${host.ip}/24 dev ${host.name}`,
      `link set ${host.name} up`,
    );
  }
  // One `ip -batch` instead of 3 × hostCount processes.
  await run(["ip", "-n", hostsNetns.name, "-batch", "-"], { stdin: batch.join("\n") + "\n" });
  return { scanner, hostsNetns, scannerInterface: "scan0", scannerIp: `${subnet}.1`, hosts };
}

/** The real liwasc binary inside the scanner namespace (its API on that namespace's loopback). */
export function startLiwasc(scanner: Netns, scanInterface: string) {
  return startBinary({
    command: [
      "ip",
      "netns",
      "exec",
      scanner.name,
      Deno.execPath(),
      "run",
      "--allow-all",
      `${root}cmd/liwasc.ts`,
    ],
    args: ["--scan-interfaces", scanInterface],
  });
}
