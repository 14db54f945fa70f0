// Runs aarch64 executables on this x86_64 host with Debian's qemu-user-static (and libc6:arm64 for
// glibc programs such as Deno), without touching the host: the kernel's binfmt_misc is per user namespace
// (Linux 6.7 and later), so the command runs in a new user and mount namespace with its own binfmt_misc
// instance, where Debian's qemu-aarch64 rule is registered. The host's binfmt_misc stays as it was, and
// any aarch64 program the command starts (a launcher script exec'ing Deno) runs under qemu like a native one.

/** Debian's rule, in the format binfmt_misc's register file takes (qemu-user-static installs it). */
export const qemuAarch64Rule = "/usr/lib/binfmt.d/qemu-aarch64.conf";

const registerAndRun = [
  "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc",
  `cat ${qemuAarch64Rule} > /proc/sys/fs/binfmt_misc/register`,
  'exec "$@"',
].join(" && ");

/**
 * The command line that runs `command` with aarch64 emulation. The process keeps one PID from unshare to
 * the emulated program (each step execs the next), so signals sent to it reach the program.
 */
export function emulatedAarch64(command: string[]): string[] {
  return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", registerAndRun, "sh", ...command];
}

/** Why emulation cannot run here (missing packages), or undefined when it can. */
export async function aarch64EmulationMissing(): Promise<string | undefined> {
  const missing: string[] = [];
  const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
  if (!await exists(qemuAarch64Rule)) missing.push(`qemu-user-static (${qemuAarch64Rule})`);
  if (!await exists("/lib/ld-linux-aarch64.so.1")) missing.push("libc6:arm64 (/lib/ld-linux-aarch64.so.1)");
  return missing.length ? `missing ${missing.join(" and ")}: run scripts/setup.sh --test as root` : undefined;
}
