// A whole run: the controller's network and node folders first (node-init for new hosts, revoke for
// hosts that left), then every host at once through the executor (install or update; stop the revoked
// ones, unless a current host now has the machine), then the mesh check among the hosts that finished.
// With `plan`, nothing is made on the controller or changed on a host: each step only reports what it
// would do.
import { sshEndpoint } from "../ssh/endpoint.ts";
import type { HostSpec } from "../ssh/host.ts";
import type { KnownHosts } from "../ssh/known_hosts.ts";
import { notedOutcome } from "../ssh/noted_outcome.ts";
import { type HostOutcome, runOnHosts } from "../ssh/run_hosts.ts";
import { applyHostPlan, type ControllerFiles, stopRemovedNode } from "./apply.ts";
import { Controller } from "./controller.ts";
import type { GloethInventory } from "./inventory.ts";
import { checkMesh, type MeshReach } from "./mesh_check.ts";
import { UNIT_NAME } from "./paths.ts";
import { buildGloethPlan } from "./plan.ts";
import type { GloethPlan, GloethRemoval } from "./plan_types.ts";
import type { GloethRelease, ReleaseArchive } from "./release.ts";

export interface GloethDeployOptions {
  knownHosts: KnownHosts;
  release: GloethRelease;
  /** How to run gloeth on the controller (network-init, node-init, revoke). */
  gloeth: string[];
  plan?: boolean;
  concurrency?: number;
  hostTimeoutMs?: number;
  /** Skip the mesh check (default: check after a run that is not a plan). */
  meshCheck?: boolean;
  meshTimeoutSeconds?: number;
  onLog?: (host: string, line: string) => void;
}

export interface ControllerStep {
  step: string;
  changed: boolean;
  detail: string;
}

export interface GloethDeployResult {
  plan: GloethPlan;
  controller: ControllerStep[];
  /** The inventory's hosts, then the removed ones, in that order. */
  hosts: HostOutcome<void>[];
  mesh: HostOutcome<MeshReach>[];
  /** Something changed (or, in a plan, would). */
  changed: boolean;
  /** Every host finished and, when checked, every node reached every other. */
  ok: boolean;
}

function controllerFiles(): ControllerFiles {
  const archives = new Map<string, Promise<Uint8Array>>();
  return {
    async read(path) {
      try {
        return await Deno.readFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
    },
    archive(archive: ReleaseArchive) {
      let bytes = archives.get(archive.path);
      if (!bytes) {
        bytes = Deno.readFile(archive.path);
        archives.set(archive.path, bytes);
      }
      return bytes;
    },
  };
}

async function prepareController(
  inventory: GloethInventory,
  controller: Controller,
  plan: boolean,
): Promise<ControllerStep[]> {
  const steps: ControllerStep[] = [];
  if (plan) {
    const hasNetwork = await controller.hasNetwork();
    steps.push({ step: "network", changed: !hasNetwork, detail: hasNetwork ? "exists" : "network-init" });
    for (const host of inventory.hosts) {
      const has = await controller.hasNode(host.name);
      steps.push({ step: `node ${host.name}`, changed: !has, detail: has ? "exists" : "node-init" });
    }
  } else {
    const made = await controller.ensureNetwork();
    steps.push({ step: "network", changed: made, detail: made ? "network-init" : "exists" });
    for (const host of inventory.hosts) {
      const node = await controller.ensureNode(host.name, host.ssh);
      steps.push({
        step: `node ${host.name}`,
        changed: node.made,
        detail: node.made ? `node-init: serial ${node.record.serial}` : "exists",
      });
    }
  }
  const kept = new Set(inventory.hosts.map((host) => host.name));
  const leaving = (await controller.records()).filter((record) => !record.revoked && !kept.has(record.name));
  for (const record of leaving) {
    steps.push({ step: `revoke ${record.name}`, changed: true, detail: `serial ${record.serial}` });
  }
  if (!plan) await controller.revoke(leaving);
  return steps;
}

/** A removed name whose machine runs gloeth under a current host's name: revoked, its unit left alone. */
function sameMachineOutcome(
  removal: GloethRemoval,
  plan: boolean,
  onLog?: (host: string, line: string) => void,
): HostOutcome<void> {
  const step = {
    step: `unit ${UNIT_NAME} left running`,
    changed: false,
    detail: `the same machine as ${removal.sameMachineAs} (${sshEndpoint(removal.ssh)}): ` +
      `${removal.host} ${plan ? "would be" : "is"} revoked only, never stopped there`,
  };
  return notedOutcome(removal.host, { step, line: `unchanged: ${step.step} (${step.detail})` }, onLog);
}

export async function deployGloeth(
  inventory: GloethInventory,
  options: GloethDeployOptions,
): Promise<GloethDeployResult> {
  const controller = new Controller(inventory.stateDir, options.gloeth);
  const planOnly = options.plan ?? false;
  const controllerSteps = await prepareController(inventory, controller, planOnly);
  const kept = new Set(inventory.hosts.map((host) => host.name));
  const records = (await controller.records()).filter((record) => !kept.has(record.name));
  const plan = buildGloethPlan(inventory, options.release, {
    networkDir: controller.networkDir,
    nodeDir: (name) => controller.nodeDir(name),
    // In a plan, revocations about to be made count as made: the nodes would get the list.
    hasRevocations: (await controller.hasRevocations()) || (planOnly && records.length > 0),
    records,
  });
  const files = controllerFiles();
  const byName = new Map(plan.hosts.map((host) => [host.host, host]));
  // A removed name on the machine of a current host is not reached: stopping its unit would stop the
  // new name's gloeth. Its revocation (above) and the list every node gets are all it needs.
  const targets: HostSpec[] = [
    ...plan.hosts.map((host) => host.ssh),
    ...plan.removals.filter((removal) => !removal.sameMachineAs).map((removal) => removal.ssh),
  ];
  const reached = await runOnHosts(targets, async (target) => {
    const hostPlan = byName.get(target.name);
    if (hostPlan) await applyHostPlan(target, hostPlan, files);
    else await stopRemovedNode(target, UNIT_NAME);
  }, {
    knownHosts: options.knownHosts,
    plan: planOnly,
    concurrency: options.concurrency,
    hostTimeoutMs: options.hostTimeoutMs,
    onLog: options.onLog,
  });
  const hosts = [
    ...reached.slice(0, plan.hosts.length),
    ...plan.removals.map((removal) =>
      removal.sameMachineAs
        ? sameMachineOutcome(removal, planOnly, options.onLog)
        : reached.find((outcome) => outcome.host === removal.host)!
    ),
  ];
  if (!planOnly) {
    // A revoked node that was stopped, or whose host is gone, needs nothing more; others are tried again.
    for (const outcome of hosts.filter((outcome) => !byName.has(outcome.host))) {
      if (outcome.ok || outcome.error?.kind === "unreachable") await controller.forget(outcome.host);
    }
  }
  let mesh: HostOutcome<MeshReach>[] = [];
  if (!planOnly && (options.meshCheck ?? true)) {
    const finished = new Set(hosts.filter((outcome) => outcome.ok).map((outcome) => outcome.host));
    const nodes = plan.mesh.filter((node) => finished.has(node.host))
      .map((node) => ({ ssh: byName.get(node.host)!.ssh, address: node.address }));
    mesh = await checkMesh(nodes, {
      knownHosts: options.knownHosts,
      timeoutSeconds: options.meshTimeoutSeconds,
      onLog: options.onLog,
    });
  }
  const changed = controllerSteps.some((step) => step.changed) || hosts.some((outcome) => outcome.changed);
  const ok = hosts.every((outcome) => outcome.ok) &&
    mesh.every((outcome) => outcome.ok && outcome.value!.missing.length === 0);
  return { plan, controller: controllerSteps, hosts, mesh, changed, ok };
}
