// The plan builder: from a checked inventory, each host's files, unit, activation commands and uninstall
// steps (plan_types.ts). Pure: it reads nothing, so the same inventory always gives the same plan, and a
// new version changes only the binary (the token file stays the same reference: nothing regenerates it).
import { artifactFiles } from "./artifacts.ts";
import { flagsOf, renderConfigYaml } from "./config_file.ts";
import type { K3sInventory } from "./inventory.ts";
import { clusterUrl, nodeConfig, type NodePlace } from "./node_config.ts";
import {
  K3S_BINARY_PATH,
  K3S_CONFIG_PATH,
  K3S_KUBECONFIG_PATH,
  K3S_TOKEN_PATH,
  SYSTEMD_UNIT_DIR,
} from "./paths.ts";
import type { K3sHostPlan, K3sPlan, PlannedCommand } from "./plan_types.ts";
import { k3sUnit } from "./unit.ts";
import { uninstallSteps } from "./uninstall.ts";

function activation(unit: string): PlannedCommand[] {
  return [
    { argv: ["systemctl", "daemon-reload"], when: "unit-changed" },
    {
      argv: ["systemctl", "enable", unit],
      when: "always",
      unless: ["systemctl", "is-enabled", "--quiet", unit],
    },
    // k3s reads its binary, config and token only at start, so any change needs a restart.
    { argv: ["systemctl", "restart", unit], when: "any-changed" },
    {
      argv: ["systemctl", "start", unit],
      when: "none-changed",
      unless: ["systemctl", "is-active", "--quiet", unit],
    },
  ];
}

function hostPlan(inventory: K3sInventory, place: NodePlace): K3sHostPlan {
  const { host, role, first } = place;
  const config = nodeConfig(inventory, place);
  const unit = k3sUnit(role, { cluster: inventory.cluster, overlayUnit: inventory.overlayUnit });
  const header = [
    `k3s ${role} ${host.name} of cluster ${inventory.cluster}, written by k3sdeployer: changes here are undone`,
    "by its next run. The cluster token is in the token-file, never here.",
  ];
  return {
    host: host.name,
    role,
    first,
    arch: host.arch,
    files: [
      ...artifactFiles(inventory, host.arch),
      {
        path: K3S_TOKEN_PATH,
        mode: 0o600,
        secret: true,
        content: { kind: "secret-file", path: inventory.tokenFile },
      },
      // 0600: extra options may carry credentials (an S3 key for etcd snapshots, say).
      {
        path: K3S_CONFIG_PATH,
        mode: 0o600,
        secret: false,
        content: { kind: "text", text: renderConfigYaml(config, header) },
      },
    ],
    unit: { name: unit.name, path: `${SYSTEMD_UNIT_DIR}/${unit.name}`, text: unit.text },
    invocation: [K3S_BINARY_PATH, role, ...flagsOf(config)],
    activate: activation(unit.name),
    versionCheck: inventory.version
      ? { argv: [K3S_BINARY_PATH, "--version"], expect: `k3s version ${inventory.version}` }
      : undefined,
    uninstall: uninstallSteps(role),
  };
}

export function buildK3sPlan(inventory: K3sInventory): K3sPlan {
  const [first, ...joining] = inventory.servers;
  const places: NodePlace[] = [
    { host: first, role: "server", first: true },
    ...joining.map((host): NodePlace => ({ host, role: "server", first: false })),
    ...inventory.agents.map((host): NodePlace => ({ host, role: "agent", first: false })),
  ];
  const agents = inventory.agents.map((host) => host.name);
  return {
    cluster: inventory.cluster,
    stages: [[first.name], ...joining.map((host) => [host.name]), ...(agents.length > 0 ? [agents] : [])],
    hosts: places.map((place) => hostPlan(inventory, place)),
    tokenFile: inventory.tokenFile,
    kubeconfig: {
      host: first.name,
      path: K3S_KUBECONFIG_PATH,
      server: clusterUrl(inventory),
      name: inventory.cluster,
    },
  };
}
