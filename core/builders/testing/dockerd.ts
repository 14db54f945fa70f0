// A Docker daemon of the test's own: Debian's dockerd with its data, exec root, socket and pidfile in a
// temp dir, no iptables rules and no docker0 bridge, inside a private mount namespace whose tmpfs /run
// and bound /etc/docker keep its key.json, plugin folders and mounts off the host. Killed by its PID.
import { basename, join } from "node:path";
import { DockerEngine } from "../docker/engine.ts";

export class TestDockerd implements AsyncDisposable {
  private constructor(
    readonly dir: string,
    readonly socketPath: string,
    readonly engine: DockerEngine,
    private readonly process: Deno.ChildProcess,
  ) {}

  static async start(): Promise<TestDockerd> {
    const dir = await Deno.makeTempDir({ prefix: "ctpf-dockerd-" });
    const socketPath = join(dir, "docker.sock");
    await Deno.mkdir(join(dir, "etc-docker"));
    await Deno.writeTextFile(join(dir, "daemon.json"), "{}\n");
    const dockerd = [
      "dockerd",
      "--iptables=false",
      "--ip6tables=false",
      "--ip-masq=false",
      "--bridge=none",
      "--userland-proxy=false",
      `--config-file=${join(dir, "daemon.json")}`,
      `--data-root=${join(dir, "data")}`,
      `--exec-root=${join(dir, "exec")}`,
      `--pidfile=${join(dir, "dockerd.pid")}`,
      `--host=unix://${socketPath}`,
      // BuildKit's step containers get cgroups under this name, removed when the daemon is gone.
      `--cgroup-parent=/${cgroupParent(dir)}`,
    ].join(" ");
    const script =
      `mount -t tmpfs ctpf-test-run /run && mount --bind "$1/etc-docker" /etc/docker && exec ${dockerd}`;
    const process = new Deno.Command("unshare", {
      args: ["--mount", "--propagation", "private", "sh", "-c", script, "sh", dir],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const logFile = await Deno.open(join(dir, "dockerd.log"), { write: true, create: true, truncate: true });
    process.stderr.pipeTo(logFile.writable).catch(() => {});
    const engine = new DockerEngine(socketPath);
    const daemon = new TestDockerd(dir, socketPath, engine, process);
    for (let i = 0; i < 150; i++) {
      if (await engine.ping()) return daemon;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const log = await Deno.readTextFile(join(dir, "dockerd.log")).catch(() => "");
    await daemon[Symbol.asyncDispose]();
    throw new Error(`dockerd did not answer within 15 s:\n${log.split("\n").slice(-10).join("\n")}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.engine.close();
    try {
      this.process.kill("SIGTERM");
    } catch { /* already gone */ }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = await Promise.race([
      this.process.status.then(() => true),
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 15_000)),
    ]);
    clearTimeout(timer);
    if (!ended) {
      this.process.kill("SIGKILL");
      await this.process.status;
      // dockerd stops the containerd it started when it exits cleanly; killed, it cannot.
      const containerd = await Deno.readTextFile(join(this.dir, "exec", "containerd", "containerd.pid"))
        .catch(() => "");
      if (/^\d+$/.test(containerd.trim())) {
        try {
          Deno.kill(Number(containerd.trim()), "SIGKILL");
        } catch { /* gone */ }
      }
    }
    // The mounts were the namespace's own and ended with it; the cgroups and files remain.
    await removeCgroups(cgroupParent(this.dir));
    await Deno.remove(this.dir, { recursive: true });
  }
}

const cgroupParent = (dir: string) => `ctpf-test-${basename(dir)}`;

/** Removes the (by now empty) cgroups the daemon made under `parent` in every mounted hierarchy. */
async function removeCgroups(parent: string): Promise<void> {
  const roots: string[] = ["/sys/fs/cgroup"];
  for await (const entry of Deno.readDir("/sys/fs/cgroup")) {
    if (entry.isDirectory) roots.push(join("/sys/fs/cgroup", entry.name));
  }
  for (const root of roots) await removeDepthFirst(join(root, parent));
}

async function removeDepthFirst(dir: string): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory) await removeDepthFirst(join(dir, entry.name));
  await Deno.remove(dir).catch(() => {});
}
