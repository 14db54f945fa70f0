/**
 * `command` in a mount namespace of its own with a fresh tmpfs over /run/systemd. systemd's tools write
 * their state there even when they only look (systemd-analyze touches /run/systemd/systemd-units-load,
 * systemd-nspawn makes /run/systemd/nspawn/{locks,propagate}), and a test leaves the host as it found it.
 * Machines of this kind have /run/systemd; where one does not, nothing is mounted and nothing is made.
 */
export function withPrivateRunSystemd(command: string[]): string[] {
  const script =
    "if [ -d /run/systemd ]; then mount -t tmpfs -o mode=0755 ctpf-test-run-systemd /run/systemd " +
    '|| exit 96; fi; exec "$@"';
  return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", ...command];
}
