// A whole k3s run: the controller's cluster token first (made once, then only read), then the plan's
// stages in order (the first server alone, each other server, then the agents at once), the admin
// kubeconfig fetched from the first server and rewritten, and the hosts that left the inventory deleted
// from the cluster through the first server and uninstalled (run_removals.ts). Every host gets an
// outcome; when the first server fails the others are skipped (they join through it). With `plan`,
// nothing is made on the controller or changed on a host: each step only reports what it would do.
import type { KnownHosts } from "../ssh/known_hosts.ts";
import { type HostOutcome, runOnHosts } from "../ssh/run_hosts.ts";
import { applyK3sHost } from "./apply.ts";
import { ControllerContent } from "./content.ts";
import type { K3sInventory } from "./inventory.ts";
import { readRemoteKubeconfig } from "./kubeconfig_fetch.ts";
import { writePrivateFile } from "./private_file.ts";
import { rewriteKubeconfig } from "./kubeconfig.ts";
import { buildK3sPlan } from "./plan.ts";
import type { K3sPlan } from "./plan_types.ts";
import { type K3sRemoval, removalsBetween } from "./removal.ts";
import { runRemovals, skipped } from "./run_removals.ts";
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
      const why = `${first} failed, and every node joins through it`;
      hosts.push(...stage.map((name) => skipped(name, why, options.onLog)));
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
      // Only looked at here: the run fetches it again, the same as long as the cluster's certificates are.
      const exists = await Deno.stat(options.kubeconfigPath).then(() => true, () => false);
      controller.push({
        step,
        changed: !exists,
        detail: `${
          exists ? "exists; fetched again" : "would fetch"
        } from ${first}, for ${plan.kubeconfig.server}`,
      });
    }
  }
  if (removals.length > 0) {
    const firstOutcome = hosts.find((outcome) => outcome.host === first)!;
    hosts.push(...await runRemovals(removals, { specs, first: firstOutcome, options: runOptions }));
  }
  const changed = controller.some((step) => step.changed) || hosts.some((outcome) => outcome.changed);
  return { plan, removals, controller, hosts, changed, ok: hosts.every((outcome) => outcome.ok) };
}
