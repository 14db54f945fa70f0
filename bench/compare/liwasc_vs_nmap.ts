// liwasc's scans against arp-scan and nmap in the same run, in a namespace lab (root): an ARP scan of a
// /24 holding 50 hosts, and TCP ports 1-1024 of one host running four servers (connect and SYN). Reports
// time, hosts found and open ports; peers that are not installed are named and skipped.
// Debian packages: arp-scan, nmap, socat.
import { withLab } from "../../tests/harness/mod.ts";
import { serveTcp, startScanLab } from "../../tests/liwasc/lab.ts";
import { arpScan } from "../../core/liwasc/arp_scan.ts";
import { subnetsOf, targetsOf } from "../../core/liwasc/targets.ts";
import { tcpConnectScan } from "../../core/liwasc/port_scan/tcp_connect_scan.ts";
import { synScan } from "../../core/liwasc/port_scan/syn_scan.ts";

const openPorts = [22, 80, 631, 8080];
const rows: string[] = [];
const skipped: string[] = [];

async function installed(tool: string): Promise<boolean> {
  return (await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output())
    .success;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

function row(tool: string, task: string, seconds: number, result: string) {
  rows.push(`${tool.padEnd(22)} ${task.padEnd(26)} ${seconds.toFixed(2).padStart(7)} s   ${result}`);
}

if (Deno.uid() !== 0) {
  console.error("liwasc_vs_nmap: needs root (namespaces, raw sockets)");
  Deno.exit(1);
}

await withLab(async (lab) => {
  const scanLab = await startScanLab(lab, 50);
  const { scanner } = scanLab;
  const served = scanLab.hosts[0];
  await serveTcp(scanLab, served, openPorts);
  const inNetns = (command: string[]) =>
    timed(async () =>
      new TextDecoder().decode(
        (await new Deno.Command("ip", { args: ["netns", "exec", scanner.name, ...command], stdout: "piped" })
          .output())
          .stdout,
      )
    );

  const targets = targetsOf(subnetsOf("scan0", scanner.name));
  const [arp, arpSeconds] = await timed(() => arpScan({ interface: "scan0", netns: scanner.name, targets }));
  row("liwasc", "ARP /24 (50 hosts)", arpSeconds, `${arp.hosts.size} hosts`);
  if (await installed("arp-scan")) {
    const [text, seconds] = await inNetns(["arp-scan", "--interface=scan0", "--localnet", "--quiet"]);
    row(
      "arp-scan",
      "ARP /24 (50 hosts)",
      seconds,
      `${text.match(/^\d+\.\d+\.\d+\.\d+\t/gm)?.length ?? 0} hosts`,
    );
  } else skipped.push("arp-scan");
  if (await installed("nmap")) {
    const [text, seconds] = await inNetns(["nmap", "-sn", "-PR", "-n", "-e", "scan0", "10.77.0.0/24"]);
    row("nmap -sn", "ARP /24 (50 hosts)", seconds, `${/(\d+) hosts? up/.exec(text)?.[1] ?? "?"} hosts`);
  } else skipped.push("nmap");

  const ports = Array.from({ length: 1024 }, (_, i) => i + 1);
  const openOf = (results: { port: number; state: string }[]) =>
    results.filter((r) => r.state === "open").map((r) => r.port).join(",");
  const [connect, connectSeconds] = await timed(() =>
    tcpConnectScan({ hosts: [served.ip], ports, netns: scanner.name })
  );
  row("liwasc connect", "TCP 1-1024", connectSeconds, `open ${openOf(connect)}`);
  const [syn, synSeconds] = await timed(() => synScan({ hosts: [served.ip], ports, netns: scanner.name }));
  row("liwasc SYN", "TCP 1-1024", synSeconds, `open ${openOf(syn)}`);
  if (await installed("nmap")) {
    for (const method of ["-sT", "-sS"]) {
      const [text, seconds] = await inNetns(["nmap", method, "-n", "-Pn", "-p1-1024", served.ip]);
      const open = [...text.matchAll(/^(\d+)\/tcp\s+open/gm)].map((m) => m[1]).join(",");
      row(`nmap ${method}`, "TCP 1-1024", seconds, `open ${open}`);
    }
  }
});

console.log(`liwasc vs arp-scan/nmap in a namespace lab, ${Deno.build.target}`);
console.log("tool                   task                        time      result");
for (const line of rows) console.log(line);
if (skipped.length > 0) console.log(`not installed, skipped: ${skipped.join(", ")}`);
