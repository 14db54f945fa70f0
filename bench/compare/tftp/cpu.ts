// CPU time of a server process and everything it forks, counted the same way for every server. tftpd-hpa
// forks a child per transfer and ignores SIGCHLD, so its children are reaped by the kernel and their time
// never reaches its cutime/cstime: /proc/<pid>/stat alone would show it using almost nothing. So each server
// is put in a cgroup of its own (cgroup v1 cpuacct, or v2 cpu.stat) right after it starts, before it forks
// anything; the cgroup's usage counts every thread and child, alive or exited, in nanoseconds. The cgroup is
// removed when the server has stopped. Without a writable cgroup hierarchy, utime + stime + cutime + cstime
// from /proc/<pid>/stat is used instead, which misses such children (said so in `how`).

const ticksPerSecond = 100; // USER_HZ on Linux
const v1 = "/sys/fs/cgroup/cpuacct";
const v2 = "/sys/fs/cgroup/unified";

export interface CpuMeter {
  /** CPU seconds the server has used since it was put under the meter. */
  seconds(): Promise<number>;
  /** How it is counted, for the output. */
  how: string;
  /** Removes the cgroup; call once the server process has exited. */
  close(): Promise<void>;
}

async function statSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // Fields after "(comm)" (which may hold spaces): [11..14] are utime, stime, cutime, cstime.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

async function writable(directory: string): Promise<boolean> {
  try {
    return (await Deno.stat(`${directory}/cgroup.procs`)).isFile;
  } catch {
    return false;
  }
}

async function inCgroup(pid: number, name: string): Promise<CpuMeter | undefined> {
  for (const [hierarchy, usage] of [[v1, "cpuacct.usage"], [v2, "cpu.stat"]] as const) {
    if (!await writable(hierarchy)) continue;
    const directory = `${hierarchy}/ctpf-bench-${name}-${Deno.pid}`;
    try {
      await Deno.mkdir(directory);
      await Deno.writeTextFile(`${directory}/cgroup.procs`, String(pid));
    } catch {
      await Deno.remove(directory).catch(() => {});
      continue;
    }
    return {
      how: `a cgroup per server (${hierarchy}, ${usage}): every thread and child, exited ones too`,
      async seconds() {
        const text = await Deno.readTextFile(`${directory}/${usage}`);
        if (usage === "cpuacct.usage") return Number(text) / 1e9;
        return Number(/usage_usec (\d+)/.exec(text)?.[1]) / 1e6;
      },
      async close() {
        // Empty once the server has exited; rmdir of a cgroup directory is how it is removed.
        for (let tries = 0; tries < 50; tries++) {
          try {
            await Deno.remove(directory);
            return;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      },
    };
  }
  return undefined;
}

/** Puts `pid` (before it forks anything) under a CPU meter; `name` names its cgroup. */
export async function cpuMeter(pid: number, name: string): Promise<CpuMeter> {
  return await inCgroup(pid, name) ?? {
    how:
      "/proc/<pid>/stat utime+stime+cutime+cstime (no writable cgroup: children SIGCHLD-reaped are missed)",
    seconds: () => statSeconds(pid),
    close: async () => {},
  };
}

/** Waits (bounded) until `pid` has no live children: a forking server's transfers have all ended. */
export async function childrenDone(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let alive = 0;
    for await (const entry of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      try {
        const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[1]) === pid && fields[0] !== "Z") alive++;
      } catch { /* gone */ }
    }
    if (alive === 0) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} still has ${alive} children`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** CPU seconds of this process's reaped children (the clients the benchmark ran): its cutime + cstime. */
export async function clientsSeconds(): Promise<number> {
  return await statSeconds(Deno.pid) - await ownSeconds(Deno.pid);
}

async function ownSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Busy CPU seconds of the whole machine, all cores (/proc/stat: everything but idle and iowait). */
export async function machineBusySeconds(): Promise<number> {
  const cpu = (await Deno.readTextFile("/proc/stat")).split("\n")[0].trim().split(/\s+/).slice(1, 9).map(
    Number,
  );
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
}
