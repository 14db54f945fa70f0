// A scanning lab: the scanner's namespace joined by a veth pair to a hosts namespace where each "host"
// is a macvlan interface with its own MAC and address. arp_ignore=1 makes each answer ARP only for its
// own address, with its own MAC, as separate machines would.
import type { Lab, Netns } from "../harness/mod.ts";
import { run, waitFor } from "../harness/mod.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { type RunningBinary, startBinary } from "../support/ctpf_process.ts";

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
  const hosts = await addHosts(hostsNetns, "hosts0", hostCount, subnet, "h");
  return { scanner, hostsNetns, scannerInterface: "scan0", scannerIp: `${subnet}.1`, hosts };
}

/** `count` macvlan hosts on `parent` in the hosts namespace, addressed from `subnet`.10 on. */
async function addHosts(
  hostsNetns: Netns,
  parent: string,
  count: number,
  subnet: string,
  prefix: string,
): Promise<ScanHost[]> {
  const hosts: ScanHost[] = [];
  const batch: string[] = [];
  const tag = Number(subnet.split(".")[1]).toString(16).padStart(2, "0");
  for (let i = 0; i < count; i++) {
    const vendor = labVendorPrefixes[i % labVendorPrefixes.length].prefix;
    const host = {
      name: `${prefix}${i}`,
      ip: `${subnet}.${10 + i}`,
      mac: `${vendor}:${tag}:${(i >> 8).toString(16).padStart(2, "0")}:${
        (i & 0xff).toString(16).padStart(2, "0")
      }`,
    };
    hosts.push(host);
    batch.push(
      `link add ${host.name} link ${parent} address ${host.mac} type macvlan mode bridge`,
      `addr add ${host.ip}/24 dev ${host.name}`,
      `link set ${host.name} up`,
    );
  }
  // One `ip -batch` instead of 3 × count processes.
  await run(["ip", "-n", hostsNetns.name, "-batch", "-"], { stdin: batch.join("\n") + "\n" });
  return hosts;
}

/**
 * A second link from the scanner to the hosts namespace (`scan<n>` ↔ `hosts<n>`, the scanner at
 * `subnet`.1/24) with `count` more hosts behind it. (A tagged VLAN would do as well, but this machine's
 * kernel is built without 802.1Q.)
 */
export async function addLink(
  scanLab: ScanLab,
  lab: Lab,
  index: number,
  count: number,
  subnet: string,
): Promise<{ scannerInterface: string; hosts: ScanHost[] }> {
  const scannerInterface = `scan${index}`, hostsInterface = `hosts${index}`;
  await lab.veth(scanLab.scanner, scannerInterface, scanLab.hostsNetns, hostsInterface);
  await scanLab.scanner.addAddress(scannerInterface, `${subnet}.1/24`);
  await scanLab.scanner.up(scannerInterface);
  await scanLab.hostsNetns.up(hostsInterface);
  return {
    scannerInterface,
    hosts: await addHosts(scanLab.hostsNetns, hostsInterface, count, subnet, `l${index}h`),
  };
}

/**
 * The real liwasc binary inside the scanner namespace (its API on that namespace's loopback), with
 * `--scan-interfaces` when `scanInterfaces` is given; `dataDir` restarts it over an earlier run's store.
 */
export function startLiwasc(
  scanner: Netns,
  scanInterfaces?: string,
  /** denoFlags: for a profile of the service, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/p"]. */
  options: { dataDir?: string; denoFlags?: string[] } = {},
) {
  return startBinary({
    dataDir: options.dataDir,
    command: [
      "ip",
      "netns",
      "exec",
      scanner.name,
      Deno.execPath(),
      "run",
      "--allow-all",
      ...(options.denoFlags ?? []),
      `${root}cmd/liwasc.ts`,
    ],
    args: scanInterfaces === undefined ? [] : ["--scan-interfaces", scanInterfaces],
  });
}

/** One LiwascService call through buf curl inside the scanner namespace: the answer, or `{ error }`. */
export async function callLiwasc(scanner: Netns, liwasc: RunningBinary, method: string, body: unknown = {}) {
  const run = await scanner.run(bufCurlCommand(liwasc, "LiwascService", method, body), {
    timeoutMs: 15_000,
    check: false,
  });
  if (run.code !== 0) return { error: JSON.parse(run.stderr || "{}") };
  return JSON.parse(run.stdout || "{}");
}

/** socat listeners on `host`'s address for each TCP port; resolves once all are listening. */
export async function serveTcp(scanLab: ScanLab, host: ScanHost, ports: number[]): Promise<void> {
  for (const port of ports) {
    scanLab.hostsNetns.spawn([
      "socat",
      "-u",
      `TCP-LISTEN:${port},bind=${host.ip},reuseaddr,fork`,
      "OPEN:/dev/null",
    ]);
  }
  await waitFor(async () => {
    const listening = (await scanLab.hostsNetns.run(["ss", "-ltnH"])).stdout;
    return ports.every((port) => listening.includes(`${host.ip}:${port} `));
  }, { what: `TCP servers on ${host.ip}` });
}

/**
 * dnsmasq answering DNS (UDP and TCP 53) on `host`'s address, and TFTP (69) from `tftpRoot` when given;
 * resolves once it listens.
 */
export async function serveDnsmasq(scanLab: ScanLab, host: ScanHost, tftpRoot?: string): Promise<void> {
  const dnsmasq = scanLab.hostsNetns.spawn([
    "dnsmasq",
    "--no-daemon",
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    `--listen-address=${host.ip}`,
    "--bind-interfaces",
    "--user=root",
    "--pid-file=",
    ...(tftpRoot ? ["--enable-tftp", `--tftp-root=${tftpRoot}`] : []),
  ]);
  await waitFor(async () => {
    const listening = (await scanLab.hostsNetns.run(["ss", "-lunH"])).stdout;
    return listening.includes(`${host.ip}:53 `) && (!tftpRoot || listening.includes(`${host.ip}:69 `));
  }, { what: `dnsmasq on ${host.ip}`, describe: () => dnsmasq.output() });
}

/** The host receives but its answers to the scanner vanish (a filter's effect, without a firewall). */
export async function blackholeReplies(scanLab: ScanLab, host: ScanHost): Promise<void> {
  await scanLab.hostsNetns.ip("route", "add", "blackhole", `${scanLab.scannerIp}/32`, "table", "77");
  await scanLab.hostsNetns.ip("rule", "add", "from", host.ip, "table", "77");
}

/** TCP listeners on many hosts' ports from one process; resolves once all listen. */
export async function serveTcpMany(scanLab: ScanLab, ports: Map<ScanHost, number[]>): Promise<void> {
  const specs = [...ports].flatMap(([host, list]) => list.map((port) => `${host.ip}:${port}`));
  const listener = scanLab.hostsNetns.spawn([
    Deno.execPath(),
    "run",
    "--allow-net",
    `${root}tests/liwasc/listen_ports.ts`,
    ...specs,
  ]);
  await waitFor(() => listener.output().includes("ready"), {
    what: `${specs.length} TCP listeners`,
    describe: () => listener.output(),
  });
}

/** The hosts namespace drops SYNs to these ports of `host` (iptables): what a firewall's filter does. */
export async function filterTcp(scanLab: ScanLab, host: ScanHost, ports: number[]): Promise<void> {
  for (const port of ports) {
    await scanLab.hostsNetns.run([
      "iptables",
      "-A",
      "INPUT",
      "-d",
      host.ip,
      "-p",
      "tcp",
      "--dport",
      String(port),
      "-j",
      "DROP",
    ]);
  }
}
