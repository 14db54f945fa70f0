// The lab liwasc_vs_nmap.ts and bench/liwasc_scan_profile.ts scan: 50 hosts, each listening on a few
// ports (some in 1-1024, some only in nmap's top 1000), iptables dropping SYNs to a few ports of some
// hosts (filtered), and nmap's top 1000 TCP ports as the installed nmap lists them.
import type { Lab } from "../../../tests/harness/mod.ts";
import {
  filterTcp,
  type ScanHost,
  type ScanLab,
  serveTcpMany,
  startScanLab,
} from "../../../tests/liwasc/lab.ts";

// Open on each host: two everywhere, one that varies (in 1-1024), and on some hosts one above 1024
// that nmap's top 1000 holds. Filtered: a few ports of a few hosts, open and closed ones alike.
const everywhere = [22, 80];
const varied = [21, 25, 53, 110, 139, 443, 445, 631, 993, 111];
const above1024 = [3306, 5432, 8080, 3389, 5900];
export const filtered: [number, number[]][] = [[0, [443, 8080]], [1, [22, 3389]], [7, [25]], [20, [
  80,
  139,
  1025,
]]];

export interface NmapLab {
  scanLab: ScanLab;
  openPlan: Map<ScanHost, number[]>;
  /** Runs a command in the scanner's namespace; its stdout, or an error. */
  inNetns: (command: string[]) => Promise<string>;
  /** "open" for each host:port the lab serves that `inRange` holds and no filter drops. */
  expectedOpen: (scanned: ScanHost[], inRange: (port: number) => boolean) => Set<string>;
}

export async function startNmapLab(lab: Lab, hostCount = 50): Promise<NmapLab> {
  const scanLab = await startScanLab(lab, hostCount);
  const { scanner, hosts } = scanLab;
  const openPlan = new Map<ScanHost, number[]>(
    hosts.map((
      host,
      i,
    ) => [host, [...everywhere, varied[i % varied.length], ...(i % 3 === 0 ? [above1024[i % 5]] : [])]]),
  );
  await serveTcpMany(scanLab, openPlan);
  for (const [index, ports] of filtered) await filterTcp(scanLab, hosts[index], ports);
  const inNetns = async (command: string[]) => {
    const output = await new Deno.Command("ip", {
      args: ["netns", "exec", scanner.name, ...command],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`${command.join(" ")}: ${new TextDecoder().decode(output.stderr).slice(0, 500)}`);
    }
    return new TextDecoder().decode(output.stdout);
  };
  const expectedOpen = (scanned: ScanHost[], inRange: (port: number) => boolean) => {
    const open = new Set<string>();
    for (const host of scanned) {
      const dropped = filtered.find(([index]) => hosts[index] === host)?.[1] ?? [];
      for (const port of openPlan.get(host)!) {
        if (inRange(port) && !dropped.includes(port)) open.add(`${host.ip}:${port}`);
      }
    }
    return open;
  };
  return { scanLab, openPlan, inNetns, expectedOpen };
}

/** nmap's top 1000 TCP ports as the installed nmap scans them (its -oX scaninfo): "1,3-4,6-7,…". */
export async function nmapTopPorts(nmapLab: NmapLab): Promise<string> {
  const scaninfo = await nmapLab.inNetns([
    "nmap",
    "-sS",
    "--top-ports",
    "1000",
    "-oX",
    "-",
    "-n",
    "-Pn",
    "--max-retries",
    "0",
    "127.0.0.1",
  ]);
  const list = /<scaninfo[^>]*services="([^"]+)"/.exec(scaninfo)?.[1];
  if (!list) throw new Error("no scaninfo in nmap's XML");
  return list;
}

/** The ports of a list like nmapTopPorts'. */
export function portsOfList(list: string): Set<number> {
  return new Set(
    list.split(",").flatMap((part) => {
      const [from, to] = part.split("-").map(Number);
      return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
    }),
  );
}

/** StartPortScan with wait, SYN, through curl in the scanner's namespace: the open host:port pairs. */
export async function curlPortScan(
  nmapLab: NmapLab,
  liwasc: { url: string; adminToken: string },
  ips: string[],
  tcpPorts: string,
): Promise<Set<string>> {
  const body = JSON.stringify({ ips, tcpPorts, tcpMethod: "TCP_SCAN_METHOD_SYN", wait: true });
  const text = await nmapLab.inNetns([
    "curl",
    "-sS",
    "--fail-with-body",
    "--max-time",
    "120",
    "-H",
    "Content-Type: application/json",
    "-H",
    `Authorization: Bearer ${liwasc.adminToken}`,
    "--data-binary",
    body,
    `${liwasc.url}/ctpf.v1.LiwascService/StartPortScan`,
  ]);
  const answer = JSON.parse(text);
  if (answer.scan?.state !== "SCAN_STATE_DONE") {
    throw new Error(`liwasc scan did not finish: ${text.slice(0, 300)}`);
  }
  return new Set<string>(
    (answer.openPorts ?? []).map((p: { ip: string; port: number }) => `${p.ip}:${p.port}`),
  );
}
