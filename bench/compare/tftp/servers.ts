// The three TFTP servers the comparison runs, each as its users start it, all serving the same directory
// on 127.0.0.1 at once (each on its own port), so that passes can alternate between them.
import { UdpSocket } from "../../../core/sys/mod.ts";
import { startBinary } from "../../../tests/support/ctpf_process.ts";
import { type CpuMeter, cpuMeter } from "./cpu.ts";

export interface TftpServerProcess {
  name: string;
  port: number;
  /** The process the server runs as (it may fork children). */
  pid: number;
  /** The CPU time of the process and all it forked. */
  cpu: CpuMeter;
  stop(): Promise<void>;
}

export async function installed(tool: string): Promise<boolean> {
  const found = await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output();
  return found.success;
}

function freePort(): number {
  const probe = UdpSocket.open({ address: "127.0.0.1" });
  try {
    return probe.localAddress().port;
  } finally {
    probe.close();
  }
}

/**
 * bofied as its binary runs, serving `<dataDir>/bofied/boot`. `denoFlags`: more flags for `deno run`, for
 * profiling (`--cpu-prof --cpu-prof-dir=…`, or `--v8-flags=--perf-basic-prof` for perf).
 */
export async function startBofied(dataDir: string, denoFlags: string[] = []): Promise<TftpServerProcess> {
  const port = freePort();
  const entry = new URL("../../../cmd/bofied.ts", import.meta.url).pathname;
  const binary = await startBinary({
    command: [Deno.execPath(), "run", "--allow-all", ...denoFlags, entry],
    dataDir,
    args: ["--tftp-listen", `127.0.0.1:${port}`],
  });
  const pid = binary.process.pid;
  const cpu = await cpuMeter(pid, "bofied");
  return {
    name: "bofied",
    port,
    pid,
    cpu,
    async stop() {
      await binary[Symbol.asyncDispose]();
      await cpu.close();
    },
  };
}

async function spawnServer(
  name: string,
  command: string,
  args: string[],
  port: number,
): Promise<TftpServerProcess> {
  const child = new Deno.Command(command, { args, stdout: "null", stderr: "null" }).spawn();
  const cpu = await cpuMeter(child.pid, name);
  // Neither peer says when it listens; both bind well within this.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    name,
    port,
    pid: child.pid,
    cpu,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await cpu.close();
    },
  };
}

/** tftpd-hpa standalone: one process listening, a forked child per transfer. */
export function startTftpdHpa(bootDir: string): Promise<TftpServerProcess> {
  const port = freePort();
  // -L: stay in the foreground; -s: chroot to the served tree (as root, which this benchmark runs as).
  return spawnServer("tftpd-hpa", "in.tftpd", ["-L", "-s", "-a", `127.0.0.1:${port}`, bootDir], port);
}

/** atftpd: one process, a thread per transfer. */
export function startAtftpd(bootDir: string): Promise<TftpServerProcess> {
  const port = freePort();
  return spawnServer("atftpd", "atftpd", [
    "--daemon",
    "--no-fork",
    "--logfile",
    "/dev/null",
    // Its default user (nobody) cannot read the private temporary tree this benchmark made.
    "--user",
    "root.root",
    "--port",
    String(port),
    "--bind-address",
    "127.0.0.1",
    bootDir,
  ], port);
}
