// The plan builder: from a checked inventory, the release and the controller's records of deployed
// nodes, each host's files and unit, and the nodes to revoke. Pure: the same inputs give the same plan.
import { renamedTo } from "../ssh/endpoint.ts";
import type { NodeRecord } from "./controller.ts";
import { renderEnvFile } from "./env_file.ts";
import type { GloethHost, GloethInventory } from "./inventory.ts";
import { ENV_FILE, NODE_DIR, NODE_FILES, REVOCATIONS_FILE, UNIT_NAME } from "./paths.ts";
import type { GloethHostPlan, GloethPlan, GloethRemoval, PlannedFile } from "./plan_types.ts";
import type { GloethRelease } from "./release.ts";

export interface ControllerView {
  networkDir: string;
  nodeDir: (host: string) => string;
  /** The network has a revocation list to hand out. */
  hasRevocations: boolean;
  /** Every node deployed and not yet revoked, and those revoked whose unit may still run. */
  records: NodeRecord[];
}

function flagsOf(inventory: GloethInventory, host: GloethHost): Record<string, string> {
  const peers = inventory.hosts.filter((other) => other !== host && other.endpoint)
    .map((other) => other.endpoint!);
  return {
    "peers": peers.join(","),
    "link-listen": host.endpoint ? `0.0.0.0:${inventory.linkPort}` : "",
    "tap": host.relay ? "" : inventory.tap,
    "tap-address": host.overlayAddress ? `${host.overlayAddress}/${inventory.overlay.prefixLength}` : "",
  };
}

function hostPlan(
  inventory: GloethInventory,
  release: GloethRelease,
  controller: ControllerView,
  host: GloethHost,
): GloethHostPlan {
  const nodeDir = controller.nodeDir(host.name);
  const names = [...NODE_FILES, ...(controller.hasRevocations ? [REVOCATIONS_FILE] : [])];
  const nodeFiles: PlannedFile[] = names.map((name) => ({
    path: `${NODE_DIR}/${name}`,
    mode: 0o600,
    secret: name === "node.key",
    content: {
      kind: "controller-file",
      path: name === REVOCATIONS_FILE ? `${controller.networkDir}/${name}` : `${nodeDir}/${name}`,
    },
  }));
  const flags = flagsOf(inventory, host);
  const archives = host.arch
    ? (release.archives[host.arch] ? { [host.arch]: release.archives[host.arch] } : {})
    : release.archives;
  return {
    host: host.name,
    ssh: host.ssh,
    overlayAddress: host.overlayAddress,
    relay: host.relay,
    arch: host.arch,
    archives,
    nodeDir,
    files: [
      ...nodeFiles,
      {
        path: ENV_FILE,
        mode: 0o600,
        secret: false,
        content: { kind: "text", text: renderEnvFile(host.name, flags) },
      },
    ],
    flags,
    unit: UNIT_NAME,
  };
}

export function buildGloethPlan(
  inventory: GloethInventory,
  release: GloethRelease,
  controller: ControllerView,
): GloethPlan {
  const kept = new Set(inventory.hosts.map((host) => host.name));
  const leaving = controller.records.filter((record) => !kept.has(record.name));
  const renamed = renamedTo(leaving, inventory.hosts);
  const removals: GloethRemoval[] = leaving.map((record) => ({
    host: record.name,
    serial: record.serial,
    ssh: record.ssh,
    ...(renamed.has(record.name) ? { sameMachineAs: renamed.get(record.name) } : {}),
  }));
  return {
    version: release.version,
    networkDir: controller.networkDir,
    hosts: inventory.hosts.map((host) => hostPlan(inventory, release, controller, host)),
    removals,
    mesh: inventory.hosts.filter((host) => host.overlayAddress)
      .map((host) => ({ host: host.name, address: host.overlayAddress! })),
  };
}
