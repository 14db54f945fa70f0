// Where gloeth's time per frame goes (issue 17): the gloeth chain of gloeth_vs_peers (A–B–C, B relays),
// one kind of traffic A→C for a few seconds, and around it either `perf record -g` on each node's
// process (JIT frames named through V8's --perf-basic-prof) or `strace -c -f` (syscalls per frame), plus
// the CPU each node spent per frame delivered. Root. Usage:
//   deno run --allow-all bench/gloeth_profile.ts udp|udp300|ping|tcp|idle perf|strace|cpu [seconds] [outDir]
// perf: writes <outDir>/<node>.perf.txt (perf report --no-children, top entries) for each node.
import { withLab } from "../tests/harness/mod.ts";
import { waitForOverlay } from "./compare/peers/chain.ts";
import { cpuMs } from "./compare/peers/measure.ts";
import { startMesh } from "../tests/gloeth/lab.ts";

const [traffic = "udp", tool = "cpu", secondsText = "5", outDir = "/tmp/gloeth-profile"] = Deno.args;
const seconds = Number(secondsText);
if (tool === "perf") Deno.env.set("CTPF_GLOETH_V8_FLAGS", "--perf-basic-prof");
await Deno.mkdir(outDir, { recursive: true });

function trafficCommand(cIp: string): string[] {
  switch (traffic) {
    case "udp":
      return ["iperf3", "-c", cIp, "-t", String(seconds), "-J", "-u", "-b", "0", "-l", "1400"];
    case "udp300":
      return ["iperf3", "-c", cIp, "-t", String(seconds), "-J", "-u", "-b", "300M", "-l", "1400"];
    case "tcp":
      return ["iperf3", "-c", cIp, "-t", String(seconds), "-J"];
    case "ping":
      return ["ping", "-q", "-c", String(seconds * 50), "-i0.02", cIp];
    case "idle": // what the nodes spend with no traffic (keepalives, timers)
      return ["sleep", String(seconds)];
    default:
      throw new Error(`unknown traffic ${traffic}`);
  }
}

await withLab(async (lab) => {
  const mesh = await startMesh(lab, 3, [[0, 1], [1, 2]]);
  const overlay = {
    a: mesh.nodes[0].netns,
    c: mesh.nodes[2].netns,
    aIp: mesh.nodes[0].overlayIp,
    cIp: mesh.nodes[2].overlayIp,
    pids: () => Promise.resolve(mesh.nodes.map((node) => node.process!.process.pid)),
    logs: () => mesh.nodes.map((node) => node.process?.output().slice(-1500) ?? "").join("\n"),
  };
  try {
    await waitForOverlay(overlay);
    const pids = await overlay.pids();
    const server = overlay.c.spawn(["iperf3", "-s", "-B", overlay.cIp]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const tools = pids.map((pid, i) => {
      const name = "abc"[i];
      if (tool === "perf") {
        return new Deno.Command("perf", {
          args: ["record", "-g", "-F", "999", "-o", `${outDir}/${name}.perf.data`, "-p", String(pid)],
          stdout: "null",
          stderr: "null",
        }).spawn();
      }
      if (tool === "strace") {
        return new Deno.Command("strace", {
          args: ["-c", "-f", "-o", `${outDir}/${name}.strace.txt`, "-p", String(pid)],
          stdout: "null",
          stderr: "null",
        }).spawn();
      }
      return undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await Promise.all(pids.map(cpuMs));
    const result = await overlay.a.run(trafficCommand(overlay.cIp), {
      timeoutMs: (seconds + 30) * 1000,
      check: false,
    });
    const after = await Promise.all(pids.map(cpuMs));
    for (const child of tools) child?.kill("SIGINT");
    for (const child of tools) await child?.status;
    await server.stop();
    let frames = NaN;
    let summary = result.stdout.trim().split("\n").slice(-3).join(" | ");
    if (traffic.startsWith("udp")) {
      const end = JSON.parse(result.stdout).end;
      frames = end.sum_received.packets - end.sum_received.lost_packets;
      summary = `sent ${(end.sum_sent.bits_per_second / 1e6).toFixed(0)} Mbit/s, received ` +
        `${(end.sum_received.bits_per_second / 1e6).toFixed(0)} Mbit/s, ${frames} datagrams arrived`;
    } else if (traffic === "tcp") {
      const end = JSON.parse(result.stdout).end;
      summary = `${(end.sum_received.bits_per_second / 1e6).toFixed(0)} Mbit/s`;
    } else if (traffic === "ping") {
      frames = seconds * 50;
    }
    const cpu = after.map((value, i) => value - before[i]);
    console.log(`${traffic}, ${tool}: ${summary}; load ${Deno.loadavg().join(" ")}`);
    console.log(
      `CPU ms A B C: ${cpu.join(" ")}` +
        (Number.isFinite(frames)
          ? `; µs per frame arrived: ${cpu.map((ms) => (1000 * ms / frames).toFixed(1)).join(" ")}`
          : ""),
    );
    if (tool === "perf") {
      for (const name of "abc") {
        const report = await new Deno.Command("perf", {
          args: [
            "report",
            "-i",
            `${outDir}/${name}.perf.data`,
            "--no-children",
            "--sort",
            "comm,dso,sym",
            "--stdio",
            "-g",
            "none",
            "--percent-limit",
            "0.7",
          ],
          stdout: "piped",
          stderr: "null",
        }).output();
        await Deno.writeTextFile(`${outDir}/${name}.perf.txt`, new TextDecoder().decode(report.stdout));
      }
    }
    for (const node of mesh.nodes) {
      const metrics = await node.netns.run(["curl", "-s", `${node.process!.url}/metrics`], { check: false });
      const lines = metrics.stdout.split("\n").filter((line) => /^ctpf_gloeth_frames_\w+ [1-9]/.test(line));
      const tap = await node.netns.run(["ip", "-s", "-o", "link"], { check: false });
      console.log(`${node.name}: ${lines.join(", ")}`);
      console.log(tap.stdout.split("\n").filter((line) => /ctpf|gloeth|tap/.test(line)).join("\n"));
    }
  } finally {
    await mesh[Symbol.asyncDispose]();
  }
});
