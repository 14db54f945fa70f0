// The root file system of a test host: Debian made by debootstrap with systemd and OpenSSH, kept in a
// cache folder between runs (minutes to make, seconds to boot) and never written to afterwards: hosts
// boot it with systemd-nspawn --volatile=overlay, so each host's changes go to its own tmpfs.
import { join } from "node:path";
import { pathExists } from "../../runtime/path_exists.ts";

export const HOST_SUITE = "bookworm";

/**
 * Beyond minbase: systemd as init with D-Bus, sshd, and what the deployers' tests run on a host (ip,
 * ping, iperf3, ps).
 */
export const HOST_PACKAGES = [
  "systemd",
  "systemd-sysv",
  "dbus",
  "openssh-server",
  "iproute2",
  "iputils-ping",
  "iperf3",
  "procps",
];

export const hostTreeCache = join(Deno.env.get("TMPDIR") ?? "/tmp", "ctpf-test-cache", "deploy-hosts");

const MIRROR = Deno.env.get("CTPF_TEST_DEBIAN_MIRROR") ?? "http://deb.debian.org/debian";

/** 32-bit FNV-1a in hex: a changed package list is a new tree. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

export function hostTreePath(): string {
  return join(hostTreeCache, `${HOST_SUITE}-${fnv1a([...HOST_PACKAGES].sort().join(" "))}`);
}

let making: Promise<string> | undefined;

/** The cached tree, made first when missing (concurrent callers in this process share one debootstrap). */
export function hostTree(): Promise<string> {
  making ??= makeTree().finally(() => (making = undefined));
  return making;
}

async function makeTree(): Promise<string> {
  const tree = hostTreePath();
  if (await pathExists(join(tree, "usr/lib/systemd/systemd"))) return tree;
  await Deno.mkdir(hostTreeCache, { recursive: true });
  // The test suite's two groups run as two processes; on a fresh machine both want the tree at once, and
  // one debootstrap is enough: the second waits for the first and then finds the tree made.
  using lock = await Deno.open(join(hostTreeCache, ".making.lock"), { create: true, write: true });
  await lock.lock(true);
  if (await pathExists(join(tree, "usr/lib/systemd/systemd"))) return tree;
  const root = await Deno.makeTempDir({ dir: hostTreeCache, prefix: "making-" });
  try {
    // A private mount namespace: debootstrap's /proc and /sys mounts inside the root end with it.
    const output = await new Deno.Command("unshare", {
      args: [
        "--mount",
        "--propagation",
        "private",
        "debootstrap",
        "--variant=minbase",
        `--include=${HOST_PACKAGES.join(",")}`,
        HOST_SUITE,
        root,
        MIRROR,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(900_000),
    }).output();
    if (!output.success) {
      const tail = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-5).join("\n");
      throw new Error(`debootstrap ${HOST_SUITE} failed: ${tail}`);
    }
    await prepareTree(root);
    // Another process making the same tree at once: the first rename wins, ours is dropped.
    try {
      await Deno.rename(root, tree);
    } catch (error) {
      if (!(await pathExists(tree))) throw error;
    }
    return tree;
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/**
 * What every host shares is made neutral: no host keys (each host is given its own, or they would all
 * be one host to a known-hosts file), no hostname of the machine that made it.
 */
export async function prepareTree(root: string): Promise<void> {
  for await (const entry of Deno.readDir(join(root, "etc/ssh"))) {
    if (entry.name.startsWith("ssh_host_")) await Deno.remove(join(root, "etc/ssh", entry.name));
  }
  await Deno.writeTextFile(join(root, "etc/hostname"), "localhost\n");
  await Deno.remove(join(root, "etc/machine-id")).catch(() => {});
  await Deno.writeTextFile(join(root, "etc/machine-id"), "");
}
