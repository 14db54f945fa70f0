// Inventory nodes as deployment targets: the name a host gets in the mesh and the cluster (a DNS label,
// kept for the node from its first deployment on, see HostNameRepository), where SSH reaches it (its first address, a port and user from its labels), its
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
// Never a leading "-": ssh and the tools given it would read it as an option.
const ADDRESS = /^[A-Za-z0-9.:_][A-Za-z0-9.:_-]{0,252}$/;

/**
 * Each node's host name, kept from the first deployment that used it: nodin renames nodes by itself (a
 * default node-xxxxxx takes its DHCP hostname later), and the deployers match hosts that left by name, so
 * a renamed node would otherwise be taken for a host that left and be uninstalled under its old name.
 */
export interface HostNameRepository {
  /** Node id → host name, every one kept. */
  hostNames(): Map<string, string>;
  /** Records new names; existing ones stay as they are. */
  keepHostNames(names: Map<string, string>): void;
}

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

/** The name a node not named before gets: its own as a DNS label, or one made of its id. */
function freshHostName(node: InventoryNode): string {
  return hostNameOf(node.name) || hostNameOf(`node-${node.id}`);
}

function withSuffix(name: string, suffix: string): string {
  return `${name.slice(0, 63 - suffix.length)}${suffix}`;
}

/**
 * The targets, named as `kept` says (node id → host name) and the others afresh; a fresh name that reads
 * like another fresh one, or like a name kept for any node (a node gone from this request too), gets the
 * node's id as a suffix, so no two nodes ever share a name.
 */
export function toTargets(
  nodes: InventoryNode[],
  settings: TargetSettings,
  kept: Map<string, string> = new Map(),
): DeployTarget[] {
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
    const hostName = kept.get(node.id) ?? freshHostName(node);
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
  const fresh = targets.filter((target) => !kept.has(target.node.id) && target.hostName);
  const taken = new Set(kept.values());
  const count = new Map<string, number>();
  for (const target of fresh) count.set(target.hostName, (count.get(target.hostName) ?? 0) + 1);
  // In id order, so that which node gets which name does not depend on the order they were listed in.
  for (const target of [...fresh].sort((a, b) => a.node.id.localeCompare(b.node.id))) {
    const base = target.hostName;
    if (count.get(base)! > 1 || taken.has(base)) {
      const id = hostNameOf(target.node.id);
      target.hostName = withSuffix(base, `-${id.slice(0, 8)}`);
      // Bounded: each try is a different name, and only so many are taken.
      for (let attempt = 2; taken.has(target.hostName) && attempt < taken.size + 3; attempt++) {
        target.hostName = withSuffix(base, `-${id.slice(0, 8)}-${attempt}`);
      }
    }
    taken.add(target.hostName);
  }
  return targets;
}
