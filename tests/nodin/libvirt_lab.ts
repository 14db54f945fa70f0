/**
 * A real libvirtd (Debian's libvirt-daemon-system, no systemd) inside a test namespace, with all its
 * state in a temporary directory: in the daemons' own mount namespace (the one `ip netns exec` makes),
 * the temp dir's parts are bind-mounted over /run, /etc/libvirt, /var/lib/libvirt, /var/log/libvirt,
 * /var/cache/libvirt and /etc/sasl2, so nothing the daemons write reaches the host's copies. Its socket is reachable from
 * the host at DIR/run/libvirt/libvirt-sock: the URI is qemu:///system?socket=…
 *
 * virtlogd and libvirtd run in the foreground in one process group (stopped by the group's PID); QEMU,
 * which libvirtd starts in a session of its own, is killed by the PID in libvirtd's pid files.
 */
import { type BackgroundProcess, isAlive, type Netns, run, waitFor } from "../harness/mod.ts";

// QEMU as root in the temp dirs, no cgroups (libvirtd would otherwise make /sys/fs/cgroup/machine…
// on the host), no confinement (no AppArmor profile for temp paths).
const QEMU_CONF = `user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
`;

const libvirtdConf = (auth: "none" | "sasl") =>
  `unix_sock_rw_perms = "0700"
auth_unix_rw = "${auth}"
auth_unix_ro = "${auth}"
log_outputs = "3:stderr"
`;

const START = `set -e
d=$1
mount --bind "$d/run" /run
mkdir -p /run/libvirt
mount --bind "$d/etc" /etc/libvirt
mount --bind "$d/lib" /var/lib/libvirt
mount --bind "$d/log" /var/log/libvirt
mount --bind "$d/cache" /var/cache/libvirt
# libvirtd's SASL settings (mechanism, password database) are read from /etc/sasl2/libvirt.conf.
mount --bind "$d/sasl2" /etc/sasl2
virtlogd &
exec libvirtd
`;

export class LibvirtdLab implements AsyncDisposable {
  readonly dir: string;
  readonly daemons: BackgroundProcess;

  private constructor(dir: string, daemons: BackgroundProcess) {
    this.dir = dir;
    this.daemons = daemons;
  }

  /**
   * With `sasl`, clients must log in as that user (SCRAM-SHA-256 against a password database in the
   * temp dir, made by Cyrus SASL's saslpasswd2); without, the socket needs no login.
   */
  static async start(
    netns: Netns,
    options: { sasl?: { username: string; password: string } } = {},
  ): Promise<LibvirtdLab> {
    const dir = await Deno.makeTempDir({ prefix: "ctpf-libvirtd-" });
    for (const part of ["run", "etc", "lib", "log", "cache", "sasl2"]) await Deno.mkdir(`${dir}/${part}`);
    await Deno.writeTextFile(`${dir}/etc/qemu.conf`, QEMU_CONF);
    await Deno.writeTextFile(`${dir}/etc/libvirtd.conf`, libvirtdConf(options.sasl ? "sasl" : "none"));
    await Deno.writeTextFile(
      `${dir}/sasl2/libvirt.conf`,
      `mech_list: scram-sha-256\nsasldb_path: ${dir}/sasl2/passwd.db\n`,
    );
    if (options.sasl) {
      await run([
        "saslpasswd2",
        "-p",
        "-c",
        "-a",
        "libvirt",
        "-f",
        `${dir}/sasl2/passwd.db`,
        options.sasl.username,
      ], {
        stdin: options.sasl.password,
      });
    }
    await Deno.writeTextFile(`${dir}/etc/virtlogd.conf`, 'log_outputs = "3:stderr"\n');
    const daemons = netns.spawn(["sh", "-c", START, "start-libvirtd", dir]);
    const lab = new LibvirtdLab(dir, daemons);
    try {
      await waitFor(async () => {
        if (daemons.exited) throw new Error(`libvirtd exited:\n${daemons.output()}`);
        return (await exists(`${dir}/run/libvirt/libvirt-sock`)) &&
          (await exists(`${dir}/run/libvirt/virtlogd-sock`));
      }, { timeoutMs: 15_000, what: "libvirtd's socket", describe: () => daemons.output() });
    } catch (error) {
      await lab[Symbol.asyncDispose]();
      throw error;
    }
    return lab;
  }

  get socket(): string {
    return `${this.dir}/run/libvirt/libvirt-sock`;
  }

  get uri(): string {
    return `qemu:///system?socket=${this.socket}`;
  }

  /** PIDs of the QEMU processes libvirtd runs now (from its pid files). */
  async qemuPids(): Promise<number[]> {
    const pids: number[] = [];
    try {
      for await (const entry of Deno.readDir(`${this.dir}/run/libvirt/qemu`)) {
        if (!entry.name.endsWith(".pid") || entry.name === "driver.pid") continue;
        const pid = Number((await Deno.readTextFile(`${this.dir}/run/libvirt/qemu/${entry.name}`)).trim());
        if (Number.isInteger(pid) && pid > 1 && isAlive(pid)) pids.push(pid);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return pids;
  }

  /** Kills the QEMUs libvirtd left running (by PID), stops the daemons, removes the temp dir. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const pid of await this.qemuPids()) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // Exited in between.
      }
    }
    await this.daemons.stop();
    await Deno.remove(this.dir, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * What libvirt could leave on the host: entries under its own directories, /run/libvirt, and cgroups
 * named after machines or libvirt. Taken before and after a test; they must be equal.
 */
export async function libvirtHostState(): Promise<string[]> {
  const entries: string[] = [];
  async function walk(path: string, depth: number, keep: (name: string) => boolean): Promise<void> {
    let listing: Deno.DirEntry[];
    try {
      listing = await Array.fromAsync(Deno.readDir(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of listing) {
      const child = `${path}/${entry.name}`;
      if (keep(entry.name)) entries.push(child);
      if (entry.isDirectory && depth > 1) await walk(child, depth - 1, keep);
    }
  }
  for (
    const dir of ["/etc/libvirt", "/var/lib/libvirt", "/var/log/libvirt", "/var/cache/libvirt", "/etc/sasl2"]
  ) {
    await walk(dir, 8, () => true);
  }
  entries.push(`/run/libvirt ${await exists("/run/libvirt") ? "present" : "absent"}`);
  await walk("/sys/fs/cgroup", 4, (name) => /machine|libvirt|qemu/.test(name));
  return entries.sort();
}
