// The measurements gloeth_vs_peers takes on every VPN, the same way for each: ping RTT A→C, iperf3
// TCP A→C, iperf3 UDP (1400-byte datagrams at full rate) A→C, and the CPU time the VPN's processes on
// A, B and C spend per MB delivered (utime + stime from /proc/<pid>/stat, all threads); then iperf3 TCP
// again with TSO and GSO off on A's overlay device (the iperf3 sender's), as on a bridged LAN where the
// VPN gets MTU-sized frames, not 64 KiB super-frames.
import { waitFor } from "../../../tests/harness/mod.ts";
import type { Overlay } from "./chain.ts";

const ticksPerSecond = 100; // USER_HZ on Linux
const iperfPort = 5201;

export interface Measurement {
  pingMs: number;
  tcpMbps: number;
  /** CPU-ms per MB received, summed over A, B and C, and per node. */
  tcpCpuMsPerMB: number;
  tcpCpuPerNode: number[];
  /** TCP with TSO and GSO off on the sender's overlay device, and its CPU-ms per MB (A+B+C). */
  tcpNoTsoMbps: number;
  tcpNoTsoCpuMsPerMB: number;
  udpSentMbps: number;
  /** As iperf3's receiver reports it (bytes that arrived over the server's test time). */
  udpReceivedMbps: number;
  /** Datagrams the client sent that never arrived. */
  udpLossPercent: number;
  udpCpuMsPerMB: number;
  /** Names of the measured processes (from /proc/<pid>/comm), to show what was counted. */
  processes: string[];
}

/** utime + stime of a process, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * (1000 / ticksPerSecond);
}

async function cpuOf(pids: number[]): Promise<number[]> {
  return await Promise.all(pids.map(cpuMs));
}

export async function pingAverageMs(overlay: Overlay, count = 20): Promise<number> {
  const ping = await overlay.a.run(["ping", "-c", String(count), "-i0.05", "-W2", overlay.cIp], {
    timeoutMs: count * 2_000 + 5_000,
  });
  const average = /= [\d.]+\/([\d.]+)\//.exec(ping.stdout)?.[1];
  if (average === undefined) throw new Error(`no ping summary:\n${ping.stdout}`);
  return Number(average);
}

interface IperfRun {
  json: Record<string, unknown>;
  cpuPerNode: number[];
}

/** One iperf3 client run A→C against a one-shot server on C, with the VPN's CPU time around it. */
async function iperf(overlay: Overlay, seconds: number, clientArgs: string[]): Promise<IperfRun> {
  const server = overlay.c.spawn(["iperf3", "-s", "-1", "-B", overlay.cIp, "-p", String(iperfPort)]);
  try {
    await waitFor(
      async () =>
        (await overlay.c.run(["ss", "-Hltn", `sport = :${iperfPort}`])).stdout.trim() !== "" ||
        server.exited,
      { what: "iperf3 server listening", timeoutMs: 5_000 },
    );
    if (server.exited) throw new Error(`iperf3 server exited:\n${server.output()}`);
    const pids = await overlay.pids();
    const before = await cpuOf(pids);
    const client = await overlay.a.run(
      ["iperf3", "-c", overlay.cIp, "-p", String(iperfPort), "-t", String(seconds), "-J", ...clientArgs],
      { timeoutMs: (seconds + 30) * 1000, check: false },
    );
    const after = await cpuOf(pids);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(client.stdout);
    } catch {
      throw new Error(`iperf3 ${clientArgs.join(" ")} gave no JSON: ${client.stderr.trim()}`);
    }
    if (typeof json.error === "string") throw new Error(`iperf3 ${clientArgs.join(" ")}: ${json.error}`);
    return { json, cpuPerNode: after.map((value, i) => value - before[i]) };
  } finally {
    await server.stop();
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The device carrying `ip` in `netns` (the overlay's TAP, bridge or VXLAN device). */
async function deviceWith(overlay: Overlay, ip: string): Promise<string> {
  const { stdout } = await overlay.a.run(["ip", "-o", "addr", "show", "to", ip]);
  const device = stdout.trim().split(/\s+/)[1];
  if (device === undefined) throw new Error(`no device carries ${ip}`);
  return device;
}

function tcpResult(run: IperfRun): { mbps: number; cpuMsPerMB: number; cpuPerNode: number[] } {
  const end = (run.json.end as { sum_received: { bits_per_second: number; bytes: number } }).sum_received;
  const mb = end.bytes / 1e6;
  return {
    mbps: end.bits_per_second / 1e6,
    cpuMsPerMB: sum(run.cpuPerNode) / mb,
    cpuPerNode: run.cpuPerNode.map((ms) => ms / mb),
  };
}

export async function measure(overlay: Overlay, seconds: number): Promise<Measurement> {
  const pingMs = await pingAverageMs(overlay);

  const tcp = tcpResult(await iperf(overlay, seconds, []));

  const udp = await iperf(overlay, seconds, ["-u", "-b", "0", "-l", "1400"]);
  // iperf3 3.12's end.sum mixes the client's datagram count with the server's losses (counted only up
  // to the highest sequence number that arrived), which overstates delivery when most datagrams are
  // dropped; sum_sent is the client's count, sum_received the server's (packets - lost_packets arrived).
  type UdpSum = {
    seconds: number;
    bytes: number;
    bits_per_second: number;
    packets: number;
    lost_packets: number;
  };
  const udpEnd = udp.json.end as { sum_sent: UdpSum; sum_received: UdpSum };
  const sent = udpEnd.sum_sent, received = udpEnd.sum_received;
  const arrived = received.packets - received.lost_packets;
  const udpMB = received.bytes / 1e6;

  // Last: it changes A's device (the namespace, and the device with it, go after this VPN's run).
  const sender = await deviceWith(overlay, overlay.aIp);
  await overlay.a.run(["ethtool", "-K", sender, "tso", "off", "gso", "off"]);
  const tcpNoTso = tcpResult(await iperf(overlay, seconds, []));

  const processes = await Promise.all(
    (await overlay.pids()).map(async (pid) => {
      try {
        return (await Deno.readTextFile(`/proc/${pid}/comm`)).trim();
      } catch {
        return `${pid}?`;
      }
    }),
  );
  return {
    pingMs,
    tcpMbps: tcp.mbps,
    tcpCpuMsPerMB: tcp.cpuMsPerMB,
    tcpCpuPerNode: tcp.cpuPerNode,
    tcpNoTsoMbps: tcpNoTso.mbps,
    tcpNoTsoCpuMsPerMB: tcpNoTso.cpuMsPerMB,
    udpSentMbps: sent.bits_per_second / 1e6,
    udpReceivedMbps: received.bits_per_second / 1e6,
    udpLossPercent: sent.packets > 0 ? 100 * (1 - arrived / sent.packets) : NaN,
    udpCpuMsPerMB: udpMB > 0 ? sum(udp.cpuPerNode) / udpMB : NaN,
    processes,
  };
}
