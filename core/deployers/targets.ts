// Inventory nodes as deployment targets: the name a host gets in the mesh and the cluster (a DNS label,
// stable for a node), where SSH reaches it (its first address, a port and user from its labels), its
// architecture in `uname -m` terms, and whether a deployment can use it at all.
import type { InventoryNode } from "./model.ts";

export interface TargetSettings {
  /** The label naming a node's SSH user (e.g. ctpf.io/ssh-user). */
  sshUserLabel: string;
  defaultSshUser: string;
}

/** The label naming a node's SSH port, when not 22. */
export const SSH_PORT_LABEL = "ctpf.io/ssh-port";

export interface DeployTarget {
  node: InventoryNode;
  hostName: string;
  address: string;
  port: number;
  architecture: "" | "x86_64" | "aarch64";
  sshUser: string;
  usable: boolean;
  unusableReason: string;
}

const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const ADDRESS = /^[A-Za-z0-9.:_-]{1,253}$/;

/** nodin says x64/arm64 (PXE and cloud terms); the deployers and the release say what `uname -m` says. */
export function unameArchitecture(architecture: string): "" | "x86_64" | "aarch64" {
  const known: Record<string, "x86_64" | "aarch64"> = {
    x64: "x86_64",
    x86_64: "x86_64",
    amd64: "x86_64",
    arm64: "aarch64",
    aarch64: "aarch64",
  };
  return known[architecture.toLowerCase()] ?? "";
}

/** A node's name as a DNS label (what gloeth and Kubernetes accept as a node name). */
export function hostNameOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "").slice(0, 63).replace(/-+$/, "");
}

function withoutPrefix(address: string): string {
  return address.replace(/\/\d+$/, "");
}

export function toTargets(nodes: InventoryNode[], settings: TargetSettings): DeployTarget[] {
  const targets = nodes.map((node): DeployTarget => {
    const sshUser = node.labels[settings.sshUserLabel] || settings.defaultSshUser;
    const portLabel = node.labels[SSH_PORT_LABEL];
    const port = portLabel === undefined ? 22 : Number(portLabel);
    const address = withoutPrefix(node.addresses[0] ?? "");
    const reasons: string[] = [];
    if (!address) reasons.push("no address");
    else if (!ADDRESS.test(address)) {
      reasons.push(`address ${JSON.stringify(address)} is not reachable by name`);
    }
    if (node.lifecycle === "retired") reasons.push("retired");
    if (!USER.test(sshUser)) reasons.push(`${settings.sshUserLabel} is not a login name`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) reasons.push(`${SSH_PORT_LABEL} is not a port`);
    const hostName = hostNameOf(node.name) || hostNameOf(`node-${node.id}`);
    if (!hostName) reasons.push("no usable name");
    return {
      node,
      hostName,
      address,
      port,
      architecture: unameArchitecture(node.architecture),
      sshUser,
      usable: reasons.length === 0,
      unusableReason: reasons.join("; "),
    };
  });
  // Two nodes whose names read the same as DNS labels: each keeps its own by its id, stably.
  const count = new Map<string, number>();
  for (const target of targets) count.set(target.hostName, (count.get(target.hostName) ?? 0) + 1);
  for (const target of targets) {
    if (count.get(target.hostName)! > 1) {
      const suffix = `-${hostNameOf(target.node.id).slice(0, 8)}`;
      target.hostName = `${target.hostName.slice(0, 63 - suffix.length)}${suffix}`;
    }
  }
  return targets;
}
