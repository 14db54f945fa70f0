// gloeth against tinc (switch mode), wireguard-go + vxlan and OpenVPN (TAP) in one run, each on its own
// fresh three-node chain A–B–C in namespaces (root), where A and C reach each other only through B
// (bench/compare/peers/chain.ts). For each: ping RTT A→C (20 pings), iperf3 TCP A→C, iperf3 UDP
// 1400-byte datagrams at full rate (-b 0) A→C, the CPU time the VPN's processes on A, B and C spend
// per MB delivered, and iperf3 TCP again with TSO/GSO off on A's overlay device (a bridged LAN's
// MTU-sized frames; bench/compare/peers/measure.ts). Each VPN's set-up is one file under peers/. A VPN
// that does not come up is a failed row with its reason. Everything is stopped and deleted on every
// path, and the host is checked to be as it was. Debian packages: iperf3, tinc, wireguard-go,
// wireguard-tools, openvpn, openssl, ethtool.
import { withLab } from "../../tests/harness/mod.ts";
import { type Overlay, overlayMtu, type Peer, waitForOverlay } from "./peers/chain.ts";
import { measure, type Measurement } from "./peers/measure.ts";
import { hostChanges, hostState } from "./peers/host.ts";
import { gloeth } from "./peers/gloeth.ts";
import { tinc } from "./peers/tinc.ts";
import { wireguardVxlan } from "./peers/wireguard_vxlan.ts";
import { openvpn } from "./peers/openvpn.ts";

const seconds = Number(Deno.env.get("CTPF_BENCH_SECONDS") ?? 8);
// CTPF_BENCH_VPNS=tinc,openvpn runs only the VPNs whose names contain one of these (default: all).
const only = (Deno.env.get("CTPF_BENCH_VPNS") ?? "").toLowerCase().split(",").filter((word) => word);
const peers: Peer[] = [gloeth, tinc, wireguardVxlan, openvpn]
  .filter((peer) => only.length === 0 || only.some((word) => peer.name.toLowerCase().includes(word)));

interface Row {
  peer: Peer;
  mtu?: number;
  result?: Measurement;
  error?: string;
}

async function installed(tool: string): Promise<boolean> {
  return (await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output())
    .success;
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replaceAll(/\s*\n\s*/g, " | ").slice(0, 600);
}

async function runPeer(peer: Peer): Promise<Row> {
  const missing = [];
  for (const tool of peer.tools) if (!await installed(tool)) missing.push(tool);
  if (missing.length > 0) return { peer, error: `not installed: ${missing.join(", ")}` };
  const workDir = await Deno.makeTempDir({ prefix: "ctpf-bench-vpn-" });
  const row: Row = { peer };
  try {
    await withLab(async (lab) => {
      let overlay: Overlay | undefined;
      try {
        overlay = await peer.start(lab, workDir);
        await waitForOverlay(overlay);
        row.mtu = await overlayMtu(overlay);
        row.result = await measure(overlay, seconds);
      } catch (error) {
        row.error = reason(error);
      } finally {
        await overlay?.close?.();
      }
    });
  } catch (error) {
    row.error = `${row.error ? `${row.error}; ` : ""}cleanup: ${reason(error)}`;
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
  return row;
}

if (Deno.uid() !== 0) {
  console.error("gloeth_vs_peers: needs root (namespaces, TAP devices)");
  Deno.exit(1);
}
for (const tool of ["iperf3", "ping", "ss", "ethtool"]) {
  if (!await installed(tool)) {
    console.error(`gloeth_vs_peers: needs ${tool} (apt-get install iperf3 iputils-ping iproute2 ethtool)`);
    Deno.exit(1);
  }
}

const before = await hostState();
const rows: Row[] = [];
for (const peer of peers) {
  console.error(`gloeth_vs_peers: ${peer.name} …`);
  rows.push(await runPeer(peer));
}
const changes = hostChanges(before, await hostState());

const columns = [
  "VPN",
  "MTU",
  "TCP Mbit/s",
  "ping ms",
  "UDP rx Mbit/s",
  "UDP loss %",
  "CPU-ms/MB TCP (A+B+C)",
  "CPU-ms/MB UDP",
  "TCP no TSO Mbit/s",
  "CPU-ms/MB no TSO",
];
const table = rows.map((row) => {
  const r = row.result;
  if (r === undefined) return [row.peer.name, `FAILED: ${row.error}`];
  return [
    row.peer.name,
    String(row.mtu),
    r.tcpMbps.toFixed(0),
    r.pingMs.toFixed(3),
    r.udpReceivedMbps.toFixed(0),
    r.udpLossPercent.toFixed(1),
    `${r.tcpCpuMsPerMB.toFixed(1)} (${r.tcpCpuPerNode.map((ms) => ms.toFixed(1)).join(" + ")})`,
    r.udpCpuMsPerMB.toFixed(1),
    r.tcpNoTsoMbps.toFixed(0),
    r.tcpNoTsoCpuMsPerMB.toFixed(1),
  ];
});
const widths = columns.map((column, i) =>
  Math.max(column.length, ...table.filter((cells) => cells.length > 2).map((cells) => cells[i].length))
);
const line = (cells: string[]) =>
  cells.length === 2
    ? `${cells[0].padEnd(widths[0])}  ${cells[1]}`
    : cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ");

console.log(
  `A–B–C chain (A and C only through B), ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, ` +
    `load ${Deno.loadavg().map((value) => value.toFixed(2)).join(" ")}; iperf3 ${seconds} s A→C, ` +
    `UDP: -u -b 0 -l 1400; no TSO: ethtool -K <A's overlay device> tso off gso off`,
);
console.log(line(columns));
for (const cells of table) console.log(line(cells));
console.log("set-ups:");
for (const row of rows) {
  const measured = row.result ? ` [measured: ${row.result.processes.join(", ")}]` : "";
  console.log(`  ${row.peer.name}: ${row.peer.setup}${measured}`);
}
for (const row of rows) {
  if (row.result) {
    console.log(
      `  ${row.peer.name}: UDP sent ${row.result.udpSentMbps.toFixed(0)} Mbit/s, received ` +
        `${row.result.udpReceivedMbps.toFixed(0)}`,
    );
  }
}
console.log(changes.length === 0 ? "host unchanged" : `HOST CHANGED: ${changes.join("; ")}`);
if (changes.length > 0 || rows.some((row) => row.error !== undefined)) Deno.exitCode = 1;
