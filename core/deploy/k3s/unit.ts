// The systemd unit for k3s: the command and nothing else, since every option is in config.yaml and the
// token in its own file (so neither `ps` nor `systemctl cat` shows a secret). The service settings are
// the ones k3s needs under systemd, for the reasons noted beside each.
import { K3S_BINARY_PATH, type K3sRole, unitNameOf } from "./paths.ts";

export interface UnitOptions {
  cluster: string;
  /** The unit k3s wants and starts after, the gloeth mesh ("" for none). */
  overlayUnit: string;
}

export function k3sUnit(role: K3sRole, options: UnitOptions): { name: string; text: string } {
  const after = ["network-online.target", ...(options.overlayUnit ? [options.overlayUnit] : [])].join(" ");
  const lines = [
    `# k3s ${role} of cluster ${options.cluster}, written by k3sdeployer.`,
    "# Options: /etc/rancher/k3s/config.yaml (the token is in the file it names).",
    "[Unit]",
    `Description=k3s ${role} (cluster ${options.cluster})`,
    "Documentation=https://docs.k3s.io",
    `Wants=${after}`,
    `After=${after}`,
    "",
    "[Service]",
    // A server tells systemd when its API is up, so `systemctl start` returns once joining can begin.
    `Type=${role === "server" ? "notify" : "exec"}`,
    // Restarting k3s must not take running pods with it: containerd's shims stay.
    "KillMode=process",
    // kubelet manages the cgroups of the pods below this unit.
    "Delegate=yes",
    "LimitNOFILE=1048576",
    "LimitNPROC=infinity",
    "LimitCORE=infinity",
    "TasksMax=infinity",
    // Joining can wait for the first server, and loading air-gap images takes a while.
    "TimeoutStartSec=0",
    "Restart=always",
    "RestartSec=5s",
    // Needed by flannel and containerd; built into some kernels, hence the leading '-'.
    "ExecStartPre=-/sbin/modprobe br_netfilter",
    "ExecStartPre=-/sbin/modprobe overlay",
    `ExecStart=${K3S_BINARY_PATH} ${role}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  ];
  return { name: unitNameOf(role), text: lines.join("\n") + "\n" };
}
