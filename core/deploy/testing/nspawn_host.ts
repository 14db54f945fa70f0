// One test host: the cached Debian tree booted with systemd-nspawn in its own network namespace, with
// a host key and authorized key of the test's making bound in. Commands reach it from outside with
// nsenter (there is no machined: --register=no), so the tests can check it and change it behind the
// executor's back (a new host key).
import { withPrivateRunSystemd } from "../../testing/private_run_systemd.ts";
import { join } from "node:path";
import {
  type BackgroundProcess,
  type Netns,
  run,
  type RunResult,
  waitFor,
} from "../../testing/harness/mod.ts";
import { MachineCgroup } from "./cgroup.ts";

export interface NspawnHostOptions {
  name: string;
  tree: string;
  netns: Netns;
  /** Where this host's files are (host key, hostname, sshd drop-in). */
  dir: string;
  authorizedKeys: string;
  /** Addresses the test reaches it at, for specs and messages. */
  address: string;
  spawn: (netns: Netns, command: string[]) => BackgroundProcess;
  /** Called with the machine's cgroup, to be removed after the machine has stopped. */
  onCgroup: (cgroup: MachineCgroup) => void;
}

async function keygen(path: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
  await Deno.remove(`${path}.pub`).catch(() => {});
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ctpf-test-host", "-f", path]);
}

/** Children of a process as the kernel lists them. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  try {
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      const text = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`).catch(() => "");
      children.push(...text.trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch { /* the process is gone */ }
  return children;
}

export class NspawnHost {
  readonly name: string;
  readonly address: string;
  readonly netns: Netns;
  readonly process: BackgroundProcess;
  readonly hostKeyPath: string;
  #leader = 0;

  private constructor(options: NspawnHostOptions, process: BackgroundProcess, hostKeyPath: string) {
    this.name = options.name;
    this.address = options.address;
    this.netns = options.netns;
    this.process = process;
    this.hostKeyPath = hostKeyPath;
  }

  /** Boots the host and waits until systemd says `running` (sshd is active then). */
  static async boot(options: NspawnHostOptions): Promise<NspawnHost> {
    const keys = join(options.dir, "host-keys");
    await Deno.mkdir(keys, { recursive: true });
    const hostKeyPath = join(keys, "ssh_host_ed25519_key");
    await keygen(hostKeyPath);
    await Deno.writeTextFile(join(options.dir, "hostname"), `${options.name}\n`);
    // The journal stays in memory: nothing of a test host outlives it, and flushing to /var/log (the
    // systemd-journal-flush unit) once failed a boot under load and left the host "degraded".
    await Deno.writeTextFile(join(options.dir, "journald-test.conf"), "[Journal]\nStorage=volatile\n");
    await Deno.writeTextFile(
      join(options.dir, "sshd-test.conf"),
      "HostKey /etc/ssh/ctpf-host-keys/ssh_host_ed25519_key\nPasswordAuthentication no\n",
    );
    const cgroup = await MachineCgroup.create(options.name);
    options.onCgroup(cgroup);
    const process = options.spawn(
      options.netns,
      cgroup.wrap(withPrivateRunSystemd([
        "systemd-nspawn",
        "--quiet",
        "--boot",
        "--register=no",
        // No scope unit of its own: there is no systemd on the test machine to ask for one.
        "--keep-unit",
        "--console=read-only",
        `--directory=${options.tree}`,
        // The cached tree stays as it is; what the host writes goes to a tmpfs that ends with it.
        "--volatile=overlay",
        `--network-namespace-path=${options.netns.path}`,
        `--machine=${options.name}`,
        `--bind-ro=${join(options.dir, "hostname")}:/etc/hostname`,
        `--bind-ro=${options.authorizedKeys}:/root/.ssh/authorized_keys`,
        `--bind-ro=${keys}:/etc/ssh/ctpf-host-keys`,
        `--bind-ro=${join(options.dir, "sshd-test.conf")}:/etc/ssh/sshd_config.d/ctpf-test.conf`,
        `--bind-ro=${join(options.dir, "journald-test.conf")}:/etc/systemd/journald.conf.d/ctpf-test.conf`,
        // The network namespace is the test's own: the host may configure it (addresses, routes, TAP
        // devices for a mesh) as a real machine's root can. nspawn leaves CAP_NET_ADMIN out by default.
        "--capability=CAP_NET_ADMIN",
      ])),
    );
    const host = new NspawnHost(options, process, hostKeyPath);
    await waitFor(async () => {
      if (process.exited) throw new Error(`systemd-nspawn for ${options.name} exited:\n${process.output()}`);
      host.#leader ||= await host.#findLeader();
      if (!host.#leader) return false;
      const state = await host.exec(["systemctl", "is-system-running"], { check: false });
      if (state.stdout.trim() === "degraded") {
        const failed = await host.exec(["systemctl", "--failed", "--no-legend", "--plain"], { check: false });
        const units = failed.stdout.trim().split("\n").map((line) => line.split(" ")[0]).filter(Boolean);
        const journal = await host.exec(
          ["journalctl", "--no-pager", "-b", "-n", "30", ...units.flatMap((unit) => ["-u", unit])],
          { check: false },
        );
        throw new Error(
          `${options.name} booted degraded: ${failed.stdout}\n${journal.stdout}\nconsole:\n${
            process.output().split("\n").filter((line) => /fail|error|denied/i.test(line)).join("\n")
          }`,
        );
      }
      return state.stdout.trim() === "running";
    }, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: `${options.name} running`,
      describe: () => process.output().slice(-2000),
    });
    return host;
  }

  /** Runs a command inside the host, from outside (nsenter into its namespaces). */
  exec(command: string[], options: { check?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
    if (!this.#leader) throw new Error(`${this.name} has not booted`);
    return run(
      ["nsenter", "-t", String(this.#leader), "-m", "-u", "-i", "-n", "-p", "--", ...command],
      options,
    );
  }

  /** The public host key line ("ssh-ed25519 AAAA…"). */
  async hostPublicKey(): Promise<string> {
    return (await Deno.readTextFile(`${this.hostKeyPath}.pub`)).trim().split(" ").slice(0, 2).join(" ");
  }

  /** A new host key, as if the machine were reinstalled (or impersonated); sshd restarted to use it. */
  async regenerateHostKey(): Promise<void> {
    await keygen(this.hostKeyPath);
    await this.exec(["systemctl", "restart", "ssh.service"], { timeoutMs: 20_000 });
  }

  /** PID 1 of the container: the systemd below nspawn (one nspawn process forks the other). */
  async #findLeader(): Promise<number> {
    let level = [this.process.pid];
    for (let depth = 0; depth < 3; depth++) {
      const next: number[] = [];
      for (const pid of level) {
        for (const child of await childrenOf(pid)) {
          const comm = (await Deno.readTextFile(`/proc/${child}/comm`).catch(() => "")).trim();
          if (comm === "systemd") return child;
          next.push(child);
        }
      }
      level = next;
    }
    return 0;
  }
}
