// A whole k3s run: the controller's cluster token first (made once, then only read), then the plan's
// stages in order (the first server alone, each other server, then the agents at once), the admin
// kubeconfig fetched from the first server and rewritten, and the hosts that left the inventory
// uninstalled and deleted from the cluster through the first server. Every host gets an outcome; when
// the first server fails the others are skipped (they join through it). With `plan`, nothing is made on
// the controller or changed on a host: each step only reports what it would do.
import { SshError } from "../ssh/errors.ts";
import type { KnownHosts } from "../ssh/known_hosts.ts";
import { type HostOutcome, runOnHosts } from "../ssh/run_hosts.ts";
import { shellCommand } from "../ssh/shell.ts";
import { run } from "../ssh/steps.ts";
import { applyK3sHost } from "./apply.ts";
import { ControllerContent } from "./content.ts";
import type { K3sInventory } from "./inventory.ts";
import { readRemoteKubeconfig, writePrivateFile } from "./kubeconfig_fetch.ts";
import { rewriteKubeconfig } from "./kubeconfig.ts";
import { buildK3sPlan } from "./plan.ts";
import type { K3sPlan } from "./plan_types.ts";
import { type K3sRemoval, removalsBetween } from "./removal.ts";
import { runUninstall } from "./run_uninstall.ts";
import { sshSpecs } from "./ssh_specs.ts";
import { ensureClusterToken } from "./token.ts";

export interface K3sDeployOptions {
  knownHosts: KnownHosts;
  plan?: boolean;
  /** The inventory the last run applied: its hosts missing from this one are removed. */
  previous?: K3sInventory;
  /** Where the rewritten admin kubeconfig goes on the controller (0600); not fetched when absent. */
  kubeconfigPath?: string;
  concurrency?: number;
  hostTimeoutMs?: number;
  /** Ends release downloads. */
  signal?: AbortSignal;
  onLog?: (host: string, line: string) => void;
}

export interface K3sControllerStep {
  step: string;
  changed: boolean;
  detail: string;
}

export interface K3sDeployResult {
  plan: K3sPlan;
  removals: K3sRemoval[];
  controller: K3sControllerStep[];
  /** The plan's hosts in stage order, then the removed ones. */
  hosts: HostOutcome<void>[];
  /** Something changed (or, in a plan, would). */
  changed: boolean;
  ok: boolean;
}

function skipped(host: string, why: string, onLog?: (host: string, line: string) => void): HostOutcome<void> {
  const error = new SshError("skipped", host, why);
  const line = `${new Date().toISOString()} skipped: ${why}`;
  onLog?.(host, line);
  return { host, ok: false, error, steps: [], changed: false, log: [line], durationMs: 0 };
}

async function prepareToken(path: string, plan: boolean): Promise<K3sControllerStep> {
  if (plan) {
    const exists = await Deno.stat(path).then(() => true, (error) => {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    });
    return { step: `token ${path}`, changed: !exists, detail: exists ? "exists" : "would be made (0600)" };
  }
  const { created } = await ensureClusterToken(path);
  return { step: `token ${path}`, changed: created, detail: created ? "made (0600)" : "exists" };
}

/** Adds the node deletions run through the first server to its outcome. */
function merge(into: HostOutcome<void>, more: HostOutcome<void>): void {
  into.steps.push(...more.steps);
  into.log.push(...more.log);
  into.changed ||= more.changed;
  into.durationMs += more.durationMs;
  if (!more.ok) Object.assign(into, { ok: false, error: into.error ?? more.error });
}

export async function deployK3s(
  inventory: K3sInventory,
  options: K3sDeployOptions,
): Promise<K3sDeployResult> {
  const planOnly = options.plan ?? false;
  const plan = buildK3sPlan(inventory);
  const removals = options.previous ? removalsBetween(options.previous, inventory) : [];
  const specs = sshSpecs(inventory, options.previous);
  const controller = [await prepareToken(inventory.tokenFile, planOnly)];
  const content = new ControllerContent(options.signal);
  const byName = new Map(plan.hosts.map((host) => [host.host, host]));
  const runOptions = {
    knownHosts: options.knownHosts,
    plan: planOnly,
    concurrency: options.concurrency,
    hostTimeoutMs: options.hostTimeoutMs,
    onLog: options.onLog,
  };
  const first = plan.kubeconfig.host;
  let kubeconfig: string | undefined;
  const hosts: HostOutcome<void>[] = [];
  for (const stage of plan.stages) {
    const firstFailed = hosts.find((outcome) => outcome.host === first && !outcome.ok);
    if (firstFailed && !planOnly) {
      hosts.push(...stage.map((name) => skipped(name, `${first} failed, and every node joins through it`)));
      continue;
    }
    hosts.push(
      ...await runOnHosts(stage.map((name) => specs.get(name)!), async (target) => {
        await applyK3sHost(target, byName.get(target.name)!, content);
        if (target.name === first && options.kubeconfigPath && !planOnly) {
          kubeconfig = await readRemoteKubeconfig(target, plan.kubeconfig.path);
        }
      }, runOptions),
    );
  }
  if (options.kubeconfigPath) {
    const step = `kubeconfig ${options.kubeconfigPath}`;
    if (kubeconfig !== undefined) {
      const changed = await writePrivateFile(
        options.kubeconfigPath,
        rewriteKubeconfig(kubeconfig, plan.kubeconfig),
      );
      controller.push({ step, changed, detail: `from ${first}, for ${plan.kubeconfig.server}` });
    } else if (planOnly) {
      controller.push({
        step,
        changed: true,
        detail: `would fetch from ${first}, for ${plan.kubeconfig.server}`,
      });
    }
  }
  if (removals.length > 0) {
    // Stopped first, so a removed node cannot register itself again after its deletion.
    hosts.push(
      ...await runOnHosts(removals.map((removal) => specs.get(removal.host)!), async (target) => {
        await runUninstall(target, removals.find((removal) => removal.host === target.name)!.uninstall);
      }, runOptions),
    );
    const through = hosts.find((outcome) => outcome.host === first)!;
    if (through.ok || planOnly) {
      const [deletions] = await runOnHosts([specs.get(first)!], async (target) => {
        for (const removal of removals) {
          await run(
            target,
            `delete node ${removal.host} (left the inventory)`,
            shellCommand(removal.deleteNode.argv),
            {
              timeoutMs: 60_000,
            },
          );
        }
      }, runOptions);
      merge(through, deletions);
    }
  }
  const changed = controller.some((step) => step.changed) || hosts.some((outcome) => outcome.changed);
  return { plan, removals, controller, hosts, changed, ok: hosts.every((outcome) => outcome.ok) };
}
