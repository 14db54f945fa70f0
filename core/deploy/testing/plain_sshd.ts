// A host without systemd: Debian's sshd run from its own config as PID 1 of fresh PID and mount
// namespaces, in a network namespace of the test's (a tmpfs over /run, so no /run/systemd/system).
// What a container or an old init system looks like to the deployers.
import { join } from "node:path";
import { type BackgroundProcess, type Netns, run } from "../../testing/harness/mod.ts";

// The login shell is the test machine's own bash, which reads root's ~/.bashrc for commands from sshd:
// an empty one is bound over it (in this private mount namespace only), or a developer's shell set-up
// (pyenv and the like) costs every command a second or more.
const START = `set -e
mount -t tmpfs tmpfs /run
mkdir -m 755 /run/sshd
if [ -f /root/.bashrc ]; then mount --bind "$1" /root/.bashrc; fi
exec /usr/sbin/sshd -D -e -f "$0"
`;

export interface PlainSshdOptions {
  name: string;
  netns: Netns;
  dir: string;
  authorizedKeys: string;
  address: string;
  spawn: (netns: Netns, command: string[]) => BackgroundProcess;
}

export async function startPlainSshd(options: PlainSshdOptions): Promise<BackgroundProcess> {
  const hostKey = join(options.dir, "ssh_host_ed25519_key");
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  const config = join(options.dir, "sshd_config");
  const emptyFile = join(options.dir, "empty");
  await Deno.writeTextFile(emptyFile, "");
  await Deno.writeTextFile(
    config,
    [
      "Port 22",
      `ListenAddress ${options.address}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(options.dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${options.authorizedKeys}`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "Subsystem sftp /usr/lib/openssh/sftp-server",
      "",
    ].join("\n"),
  );
  return options.spawn(options.netns, [
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "--pid",
    "--fork",
    "--mount-proc",
    "sh",
    "-c",
    START,
    config,
    emptyFile,
  ]);
}
