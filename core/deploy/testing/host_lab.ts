// Real hosts for the deployers' tests: a lab namespace (the test's side, holding a bridge in
// 10.88.0.0/24) with hosts on it, each booted from the cached Debian tree in its own namespace, and
// hosts reachable only through another (10.89.N.0/24 behind a bastion). The test process reaches the
// lab through a ProxyCommand that enters the lab namespace (nsenter + socat), so nothing is added to
// the machine's own network. Everything (machines, sshd, namespaces, files) goes on dispose, by PID.
import { join } from "node:path";
import { type HostSpec } from "../ssh/host.ts";
import {
  type BackgroundProcess,
  Lab,
  type Netns,
  run,
  spawnBackground,
  waitFor,
} from "../../testing/harness/mod.ts";
import { hostTree } from "./host_tree.ts";
import type { MachineCgroup } from "./cgroup.ts";
import { NspawnHost } from "./nspawn_host.ts";
import { startPlainSshd } from "./plain_sshd.ts";

export interface LabHost {
  name: string;
  address: string;
  netns: Netns;
  /** Set when the host is reached through another. */
  behind?: LabHost;
}

export class HostLab implements AsyncDisposable {
  readonly dir: string;
  readonly lab: Lab;
  readonly side: Netns;
  /** The test's key, authorized on every host. */
  readonly identityFile: string;
  readonly authorizedKeys: string;
  /** A known-hosts file of the test's own. */
  readonly knownHostsPath: string;
  #next = 10;
  #nextBehind = 0;
  readonly #hosts = new Map<string, LabHost>();
  /** Machines, stopped before the namespaces they use are deleted. */
  readonly #machines: BackgroundProcess[] = [];
  readonly #cgroups: MachineCgroup[] = [];

  private constructor(dir: string, lab: Lab, side: Netns) {
    this.dir = dir;
    this.lab = lab;
    this.side = side;
    this.identityFile = join(dir, "id_ed25519");
    this.authorizedKeys = join(dir, "authorized_keys");
    this.knownHostsPath = join(dir, "known_hosts");
  }

  static async start(): Promise<HostLab> {
    const dir = await Deno.makeTempDir({ prefix: "ctpf-hostlab-" });
    const lab = new Lab();
    try {
      const side = await lab.netns({ ipv6: false });
      await side.addBridge("br0");
      await side.addAddress("br0", "10.88.0.1/24");
      await side.up("br0");
      const hostLab = new HostLab(dir, lab, side);
      await run([
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "ctpf-test",
        "-f",
        hostLab.identityFile,
      ]);
      await Deno.copyFile(`${hostLab.identityFile}.pub`, hostLab.authorizedKeys);
      return hostLab;
    } catch (error) {
      await lab.cleanup().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw error;
    }
  }

  /** A namespace on the lab bridge (or behind `behind`), its address configured. */
  async #place(name: string, behind?: LabHost): Promise<LabHost> {
    if (this.#hosts.has(name) || !/^[a-z][a-z0-9-]{0,14}$/.test(name)) {
      throw new Error(`bad or taken name ${name}`);
    }
    const netns = await this.lab.netns({ ipv6: false });
    let address: string;
    if (behind) {
      const subnet = this.#nextBehind++;
      address = `10.89.${subnet}.2`;
      const inside = `b${subnet}`;
      await this.lab.veth(behind.netns, inside, netns, "eth0");
      await behind.netns.addAddress(inside, `10.89.${subnet}.1/24`);
      await behind.netns.up(inside);
      await netns.addAddress("eth0", `${address}/24`);
      await netns.up("eth0");
      await netns.ip("route", "add", "default", "via", `10.89.${subnet}.1`);
    } else {
      const index = this.#next++;
      address = `10.88.0.${index}`;
      await this.lab.veth(this.side, `h${index}`, netns, "eth0");
      await this.side.setMaster(`h${index}`, "br0");
      await this.side.up(`h${index}`);
      await netns.addAddress("eth0", `${address}/24`);
      await netns.up("eth0");
      await netns.ip("route", "add", "default", "via", "10.88.0.1");
    }
    const host = { name, address, netns, behind };
    this.#hosts.set(name, host);
    return host;
  }

  /** A Debian host booted with systemd; with `behind`, reachable only through that host. */
  async boot(name: string, options: { behind?: LabHost } = {}): Promise<LabHost & { machine: NspawnHost }> {
    const tree = await hostTree();
    const host = await this.#place(name, options.behind);
    const dir = join(this.dir, name);
    await Deno.mkdir(dir);
    const machine = await NspawnHost.boot({
      name,
      tree,
      netns: host.netns,
      dir,
      authorizedKeys: this.authorizedKeys,
      address: host.address,
      // Not through `ip netns exec`: it mounts a fresh /sys, without the cgroup file systems nspawn
      // needs; nspawn joins the namespace itself (--network-namespace-path).
      spawn: (_netns, command) => {
        const process = spawnBackground(command);
        this.#machines.push(process);
        return process;
      },
      onCgroup: (cgroup) => this.#cgroups.push(cgroup),
    });
    return Object.assign(host, { machine });
  }

  /** A host with sshd but without systemd (see plain_sshd.ts). */
  async plainSshd(name: string): Promise<LabHost> {
    const host = await this.#place(name);
    const dir = join(this.dir, name);
    await Deno.mkdir(dir);
    const process = await startPlainSshd({
      name,
      netns: host.netns,
      dir,
      authorizedKeys: this.authorizedKeys,
      address: host.address,
      spawn: (netns, command) => netns.spawn(command),
    });
    await waitFor(async () => {
      if (process.exited) throw new Error(`sshd for ${name} exited:\n${process.output()}`);
      const probe = await this.side.run([
        "socat",
        "-T",
        "0.5",
        "-u",
        `TCP:${host.address}:22,connect-timeout=1`,
        "-",
      ], {
        check: false,
        timeoutMs: 2_000,
      });
      return probe.stdout.startsWith("SSH-2.0-");
    }, { timeoutMs: 10_000, intervalMs: 100, what: `sshd on ${name}`, describe: () => process.output() });
    return host;
  }

  /** An address on the lab bridge where nothing answers. */
  get unusedAddress(): string {
    return "10.88.0.250";
  }

  /** How the executor reaches the lab: ssh's ProxyCommand into the lab namespace. */
  get proxyCommand(): string {
    return `nsenter --net=${this.side.path} socat STDIO TCP:%h:%p,connect-timeout=5`;
  }

  /** A HostSpec for a lab host: the test's key, no agent, the lab proxy (or the bastion for one behind). */
  spec(host: LabHost | { name: string; address: string }, overrides: Partial<HostSpec> = {}): HostSpec {
    const behind = "behind" in host ? host.behind : undefined;
    return {
      name: host.name,
      address: host.address,
      user: "root",
      identityFiles: [this.identityFile],
      agent: false,
      connectTimeoutMs: 10_000,
      ...(behind ? { jump: this.spec(behind) } : { proxyCommand: this.proxyCommand }),
      ...overrides,
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      const stopped: PromiseSettledResult<unknown>[] = await Promise.allSettled(
        this.#machines.map((machine) => machine.stop(10_000)),
      );
      stopped.push(...await Promise.allSettled(this.#cgroups.map((cgroup) => cgroup.remove())));
      await this.lab.cleanup();
      const failed = stopped.find((result) => result.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    } finally {
      await Deno.remove(this.dir, { recursive: true }).catch(() => {});
    }
  }
}
