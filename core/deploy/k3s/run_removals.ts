// Hosts that left the inventory, carried out: each deleted from the cluster through the first server
// and uninstalled, in the order its role needs. A server is deleted first (k3s then removes its etcd
// member) and only then stopped, so the remaining members keep their quorum (two servers, one leaving,
// would lose it if it stopped first); a server that could not be deleted is left running, to be tried
// again. An agent is stopped first, so it cannot register itself again after its deletion; it counts as
// removed only once its node is deleted. A name whose machine a current host now has (removal.ts) is
// never reached: only its old node is deleted.
import { SshError } from "../ssh/errors.ts";
import { sshEndpoint } from "../ssh/endpoint.ts";
import type { HostSpec } from "../ssh/host.ts";
import { notedOutcome } from "../ssh/noted_outcome.ts";
import { type HostOutcome, type RunHostsOptions, runOnHosts } from "../ssh/run_hosts.ts";
import { shellCommand } from "../ssh/shell.ts";
import { run } from "../ssh/steps.ts";
import type { K3sRemoval } from "./removal.ts";
import { runUninstall } from "./run_uninstall.ts";

/** An outcome for a host not tried because one it depends on failed. */
export function skipped(
  host: string,
  why: string,
  onLog?: (host: string, line: string) => void,
): HostOutcome<void> {
  const error = new SshError("skipped", host, why);
  const line = `${new Date().toISOString()} skipped: ${why}`;
  onLog?.(host, line);
  return { host, ok: false, error, steps: [], changed: false, log: [line], durationMs: 0 };
}

/** Adds the node deletions run through the first server to its outcome. */
function merge(into: HostOutcome<void>, more: HostOutcome<void>): void {
  into.steps.push(...more.steps);
  into.log.push(...more.log);
  into.changed ||= more.changed;
  into.durationMs += more.durationMs;
  if (!more.ok) Object.assign(into, { ok: false, error: into.error ?? more.error });
}

export interface RemovalContext {
  specs: Map<string, HostSpec>;
  /** The first server's outcome of this run: deletions go through it, and their steps join it. */
  first: HostOutcome<void>;
  options: RunHostsOptions;
}

/** Deletes the nodes through the first server; whether every deletion was made (or, in a plan, would be). */
async function deleteNodes(removals: K3sRemoval[], context: RemovalContext): Promise<boolean> {
  if (removals.length === 0) return true;
  const { first, options } = context;
  if (!first.ok && !options.plan) return false;
  const [deletions] = await runOnHosts([context.specs.get(first.host)!], async (target) => {
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
  }, options);
  merge(first, deletions);
  return deletions.ok;
}

async function uninstall(removals: K3sRemoval[], context: RemovalContext): Promise<HostOutcome<void>[]> {
  if (removals.length === 0) return [];
  const byName = new Map(removals.map((removal) => [removal.host, removal]));
  return await runOnHosts(removals.map((removal) => context.specs.get(removal.host)!), async (target) => {
    await runUninstall(target, byName.get(target.name)!.uninstall);
  }, context.options);
}

/**
 * The same machine under a current host's name: never reached (uninstalling would take k3s from the new
 * name); done once its old node is deleted.
 */
function sameMachine(removal: K3sRemoval, deleted: boolean, context: RemovalContext): HostOutcome<void> {
  const where = `the same machine as ${removal.sameMachineAs} (${
    sshEndpoint(context.specs.get(removal.host)!)
  })`;
  const step = {
    step: "k3s left installed",
    changed: false,
    detail: `${where}: only its old node is deleted from the cluster`,
  };
  if (deleted) {
    return notedOutcome(
      removal.host,
      { step, line: `unchanged: ${step.step} (${step.detail})` },
      context.options.onLog,
    );
  }
  const why =
    `${where}: k3s left installed, but the old node was not deleted through ${context.first.host}; ` +
    "the next run tries again";
  return notedOutcome(removal.host, {
    line: `skipped: ${why}`,
    error: new SshError("skipped", removal.host, why),
  }, context.options.onLog);
}

/** The removed hosts' outcomes, servers then agents. */
export async function runRemovals(
  removals: K3sRemoval[],
  context: RemovalContext,
): Promise<HostOutcome<void>[]> {
  const servers = removals.filter((removal) => removal.role === "server");
  const agents = removals.filter((removal) => removal.role === "agent");
  const reached = (some: K3sRemoval[]) => some.filter((removal) => !removal.sameMachineAs);
  const outcomes: HostOutcome<void>[] = [];
  const serversDeleted = await deleteNodes(servers, context);
  const serversUninstalled = serversDeleted ? await uninstall(reached(servers), context) : [];
  const leftRunning = `not deleted from the cluster through ${context.first.host}: left running, so etcd ` +
    "keeps its quorum; the next run tries again";
  outcomes.push(
    ...servers.map((removal) =>
      removal.sameMachineAs
        ? sameMachine(removal, serversDeleted, context)
        : serversUninstalled.find((outcome) => outcome.host === removal.host) ??
          skipped(removal.host, leftRunning, context.options.onLog)
    ),
  );
  const stopped = await uninstall(reached(agents), context);
  const agentsDeleted = await deleteNodes(agents, context);
  const agentOutcomes = agents.map((removal) =>
    removal.sameMachineAs
      ? sameMachine(removal, agentsDeleted, context)
      : stopped.find((outcome) => outcome.host === removal.host)!
  );
  if (!agentsDeleted) {
    // Its node stays in the cluster: whatever happened on the host (uninstalled, unreachable, failed), it
    // counts as not removed, for the next run to finish. Only a deleted node lets an unreachable host go.
    for (const outcome of agentOutcomes.filter((outcome) => outcome.error?.kind !== "skipped")) {
      const said = outcome.error?.message.replace(`${outcome.host}: `, "");
      const what = outcome.ok ? "uninstalled" : `${outcome.error!.kind} (${said})`;
      outcome.ok = false;
      outcome.error = new SshError(
        "skipped",
        outcome.host,
        `${what}, but not deleted from the cluster: ${context.first.host} failed; the next run tries again`,
      );
    }
  }
  outcomes.push(...agentOutcomes);
  return outcomes;
}
