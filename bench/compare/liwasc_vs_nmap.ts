// liwasc's scans against arp-scan and nmap in the same run, in a namespace lab (root) of 50 hosts:
// - an ARP scan of the /24 (liwasc's scanner in-process, arp-scan, nmap -sn);
// - port scans as users run them: liwasc is the running service, asked by one API call (curl,
//   StartPortScan with wait: it answers when the scan has ended, with the open ports), nmap is its
//   binary; both started with `ip netns exec`, so process start counts for both. Three cases: ports
//   1-1024 of one host without and with filtered ports, and nmap's top 1000 ports of all 50 hosts.
//   nmap's list comes from the installed nmap at run time (its -oX scaninfo; liwasc does not ship
//   nmap's data) and is given to liwasc as an explicit port set, so both scan the same ports.
// Every host listens on a few ports (some in 1-1024, some only in the top 1000), the rest are closed,
// and iptables drops SYNs to a few ports of some hosts (filtered: both scanners must wait those out).
// Passes alternate the tools (order rotated each pass) after one warm-up each; times are median and
// range. Each port scan is followed by a pause outside the timing, so what a tool still does after it
// answered (liwasc writes the results to its store then, ~0.1-0.3 s of one core) does not land in the
// next tool's time. The open ports each tool found must be the same set, or the run fails.
// Debian packages: arp-scan, nmap, curl, iptables.
import { withLab } from "../../tests/harness/mod.ts";
import { startLiwasc } from "../../tests/liwasc/lab.ts";
import { curlPortScan, filtered, nmapTopPorts, portsOfList, startNmapLab } from "./scan/lab.ts";
import { arpScan } from "../../core/liwasc/arp_scan.ts";
import { subnetsOf, targetsOf } from "../../core/liwasc/targets.ts";

const passes = Math.max(1, Number(Deno.env.get("CTPF_SCAN_PASSES") ?? 5));
// The pause after each port scan (see above).
const settleMs = 500;
const lines: string[] = [];
const failures: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.error(line);
};

async function installed(tool: string): Promise<boolean> {
  return (await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output()).success;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function summary(tool: string, seconds: number[], result: string): string {
  const range = `${Math.min(...seconds).toFixed(3)}–${Math.max(...seconds).toFixed(3)}`;
  return `${tool.padEnd(16)} ${
    median(seconds).toFixed(3).padStart(7)
  } s   (${range} s, ${seconds.length} passes)   ${result}`;
}

const loadavg = async () => (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");

if (Deno.uid() !== 0) {
  console.error("liwasc_vs_nmap: needs root (namespaces, raw sockets)");
  Deno.exit(1);
}
for (const tool of ["nmap", "curl", "iptables"]) {
  if (!(await installed(tool))) {
    console.error(`liwasc_vs_nmap: ${tool} is not installed`);
    Deno.exit(1);
  }
}

await withLab(async (lab) => {
  const nmapLab = await startNmapLab(lab, 50);
  const { scanLab, inNetns, expectedOpen } = nmapLab;
  const { scanner, hosts } = scanLab;

  // ARP: liwasc's scanner in-process against the two binaries.
  say(`load before: ${await loadavg()}`);
  say("ARP scan of the /24 (50 hosts):");
  const arpTimes: Record<string, number[]> = { liwasc: [], "arp-scan": [], "nmap -sn": [] };
  const arpFound: Record<string, number> = {};
  const targets = targetsOf(subnetsOf("scan0", scanner.name));
  const arpTools: Record<string, () => Promise<number>> = {
    liwasc: async () => (await arpScan({ interface: "scan0", netns: scanner.name, targets })).hosts.size,
    "arp-scan": async () =>
      (await inNetns(["arp-scan", "--interface=scan0", "--localnet", "--quiet"])).match(
        /^\d+\.\d+\.\d+\.\d+\t/gm,
      )
        ?.length ?? 0,
    "nmap -sn": async () =>
      Number(
        /(\d+) hosts? up/.exec(await inNetns(["nmap", "-sn", "-PR", "-n", "-e", "scan0", "10.77.0.0/24"]))
          ?.[1],
      ),
  };
  if (!(await installed("arp-scan"))) delete arpTools["arp-scan"];
  const arpNames = Object.keys(arpTools);
  for (let pass = 0; pass < Math.min(passes, 3); pass++) {
    for (let i = 0; i < arpNames.length; i++) {
      const name = arpNames[(pass + i) % arpNames.length];
      const [found, seconds] = await timed(arpTools[name]);
      arpTimes[name].push(seconds);
      arpFound[name] = found;
    }
  }
  for (const name of arpNames) say(summary(name, arpTimes[name], `${arpFound[name]} hosts`));

  const topList = await nmapTopPorts(nmapLab);

  await using liwasc = await startLiwasc(scanner, "scan0");
  const curlScan = (targetIps: string[], tcpPorts: string) =>
    curlPortScan(nmapLab, liwasc, targetIps, tcpPorts);
  const nmapScan = async (method: string, targetIps: string[], portArgs: string[]) => {
    const text = await inNetns(["nmap", method, "-n", "-Pn", "-oG", "-", ...portArgs, ...targetIps]);
    const open = new Set<string>();
    for (const line of text.split("\n")) {
      const host = /^Host: (\S+).*Ports: (.*)$/.exec(line);
      if (!host) continue;
      for (const entry of host[2].split(", ")) {
        const [port, state] = entry.trim().split("/");
        if (state === "open") open.add(`${host[1]}:${port}`);
      }
    }
    return open;
  };
  const topPorts = portsOfList(topList);

  const cases = [
    {
      title: "TCP ports 1-1024 of one host without a filter (host 2: 3 open, the rest closed)",
      scanned: [hosts[2]],
      inRange: (port: number) => port <= 1024,
      liwascPorts: "1-1024",
      nmapPorts: ["-p1-1024"],
    },
    {
      title: "TCP ports 1-1024 of one host (host 0: 3 open, 2 filtered)",
      scanned: [hosts[0]],
      inRange: (port: number) => port <= 1024,
      liwascPorts: "1-1024",
      nmapPorts: ["-p1-1024"],
    },
    {
      title:
        `nmap's top 1000 TCP ports of all ${hosts.length} hosts (${filtered.length} hosts with filtered ports)`,
      scanned: hosts,
      inRange: (port: number) => topPorts.has(port),
      liwascPorts: topList,
      nmapPorts: ["--top-ports", "1000"],
    },
  ];
  for (const scanCase of cases) {
    const ips = scanCase.scanned.map((host) => host.ip);
    const tools: Record<string, () => Promise<Set<string>>> = {
      "liwasc SYN (API)": () => curlScan(ips, scanCase.liwascPorts),
      "nmap -sS": () => nmapScan("-sS", ips, scanCase.nmapPorts),
      "nmap -sT": () => nmapScan("-sT", ips, scanCase.nmapPorts),
    };
    const names = Object.keys(tools);
    const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const found: Record<string, Set<string>> = {};
    for (const name of names) await tools[name](); // warm-up: neighbour cache, page cache, JIT
    say(`${scanCase.title}:`);
    const loadBefore = await loadavg();
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(pass + i) % names.length];
        const [open, seconds] = await timed(tools[name]);
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        times[name].push(seconds);
        const previous = found[name];
        if (previous && [...open].sort().join() !== [...previous].sort().join()) {
          failures.push(`${name} found other open ports in pass ${pass + 1} (${scanCase.title})`);
        }
        found[name] = open;
      }
    }
    const expected = [...expectedOpen(scanCase.scanned, scanCase.inRange)].sort().join();
    for (const name of names) {
      const same = [...found[name]].sort().join() === expected;
      if (!same) failures.push(`${name}: open ports differ from what the lab serves (${scanCase.title})`);
      say(summary(name, times[name], `${found[name].size} open${same ? ", the same set" : ", DIFFERENT"}`));
    }
    say(`  load: ${loadBefore} before, ${await loadavg()} after`);
  }
});

console.log(`liwasc vs arp-scan/nmap in a namespace lab, ${Deno.build.target}, ${passes} passes`);
for (const line of lines) console.log(line);
if (failures.length > 0) {
  for (const failure of failures) console.log(`FAIL: ${failure}`);
  Deno.exit(1);
}
