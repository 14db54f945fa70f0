// Removing k3s from a host, as steps of our own (no k3s-uninstall.sh is installed, since k3sdeployer does
// not run k3s's install script): stop and disable the unit, end the pods' processes that KillMode=process
// left behind, unmount what containerd and kubelet mounted, remove flannel's interfaces and the
// Kubernetes iptables chains, then the files. Each step is safe to run again on a host without k3s.
import {
  K3S_BINARY_PATH,
  K3S_CONFIG_DIR,
  K3S_DATA_DIR,
  type K3sRole,
  SYSTEMD_UNIT_DIR,
  unitNameOf,
} from "./paths.ts";
import type { UninstallStep } from "./plan_types.ts";

/** Mount points under these prefixes belong to k3s (containers, pod volumes, CNI namespaces). */
const MOUNT_PREFIXES = [
  "/run/k3s",
  K3S_DATA_DIR,
  "/var/lib/kubelet/pods",
  "/var/lib/kubelet/plugins",
  "/run/netns/cni-",
];

// Deepest first, so a mount is never below one already gone; prefixes are constants, nothing is
// interpolated from the inventory.
const UNMOUNT_SCRIPT = `for prefix in ${MOUNT_PREFIXES.join(" ")}; do ` +
  `awk -v p="$prefix" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r | xargs -r -n 1 umount; done`;

// The chains kube-proxy, flannel and the CNI plugins made; every other rule stays.
const IPTABLES_SCRIPT = "for tool in iptables ip6tables; do command -v $tool-save >/dev/null || continue; " +
  "$tool-save | grep -v -E 'KUBE-|CNI-|FLANNEL|flannel' | $tool-restore; done";

const LINKS = ["cni0", "flannel.1", "flannel-v6.1"];

const REMOVED = [
  K3S_BINARY_PATH,
  K3S_CONFIG_DIR,
  K3S_DATA_DIR,
  "/var/lib/kubelet",
  "/run/k3s",
  "/run/flannel",
  "/var/lib/cni",
];

export function uninstallSteps(role: K3sRole): UninstallStep[] {
  const unit = unitNameOf(role);
  const command = (argv: string[], mayFail: boolean): UninstallStep => ({ kind: "command", argv, mayFail });
  return [
    command(["systemctl", "disable", "--now", unit], true),
    command(["systemctl", "kill", "--kill-whom=all", "--signal=SIGKILL", unit], true),
    command(["sh", "-c", UNMOUNT_SCRIPT], false),
    ...LINKS.map((link) => command(["ip", "link", "delete", link], true)),
    command(["sh", "-c", IPTABLES_SCRIPT], false),
    { kind: "remove", path: `${SYSTEMD_UNIT_DIR}/${unit}` },
    ...REMOVED.map((path): UninstallStep => ({ kind: "remove", path })),
    command(["systemctl", "daemon-reload"], false),
    command(["systemctl", "reset-failed", unit], true),
  ];
}
