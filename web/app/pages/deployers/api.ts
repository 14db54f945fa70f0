import {
  DeployHostState,
  type Deployment,
  type DeploymentHost,
  DeploymentState,
  DeployService,
} from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { client } from "../../client.ts";
import { msOf } from "../../format.ts";
import { routeHref } from "../../route.ts";

// What every deployers view shares: the client, state names, the views' links and one-line summaries.

export const deployApi = () => client(DeployService);

export const stateNames: Record<number, string> = {
  [DeploymentState.QUEUED]: "queued",
  [DeploymentState.RUNNING]: "running",
  [DeploymentState.SUCCEEDED]: "succeeded",
  [DeploymentState.FAILED]: "failed",
  [DeploymentState.CANCELLED]: "cancelled",
};

export const hostStateNames: Record<number, string> = {
  [DeployHostState.PENDING]: "pending",
  [DeployHostState.RUNNING]: "running",
  [DeployHostState.OK]: "ok",
  [DeployHostState.FAILED]: "failed",
  [DeployHostState.CANCELLED]: "cancelled",
};

export const isFinished = (deployment: Deployment) =>
  [DeploymentState.SUCCEEDED, DeploymentState.FAILED, DeploymentState.CANCELLED].includes(deployment.state);

export const deploymentHref = (id: string) => routeHref(["deployers", "deployments", id]);
export const newDeploymentHref = () => routeHref(["deployers", "new"]);

/** "plan" or "run": what the deployment was asked to do. */
export const modeText = (deployment: Deployment) => deployment.plan ? "plan" : "run";

/**
 * The targets as asked: "rack=a", "rack=a + 2 nodes by id"; nodes picked one by one are named by their
 * hosts ("web-1, web-2") once the deployment has them.
 */
export function targetsText(deployment: Deployment): string {
  const ids = deployment.nodeIds.length;
  const byId = `${ids} node${ids === 1 ? "" : "s"} by id`;
  if (deployment.labelSelector) {
    return ids ? `${deployment.labelSelector} + ${byId}` : deployment.labelSelector;
  }
  const named = deployment.hosts.filter((host) => !host.removed).map((host) => host.hostName);
  return named.length ? named.join(", ") : ids ? byId : "";
}

/** "2 ok, 1 failed": the hosts by state, in the order a reader cares about. */
export function hostCountsText(hosts: DeploymentHost[]): string {
  const counts = new Map<string, number>();
  for (const host of hosts) {
    const name = hostStateNames[host.state] ?? "unknown";
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return ["ok", "failed", "running", "pending", "cancelled", "unknown"].filter((name) => counts.has(name))
    .map((name) => `${counts.get(name)} ${name}`).join(", ");
}

/** "3 changed, 4 unchanged" ("would change" in a plan): a host's steps in one line. */
export function stepsText(host: DeploymentHost, plan: boolean): string {
  const changed = host.steps.filter((step) => step.changed).length;
  if (!host.steps.length) return "";
  return `${changed} ${plan ? "would change" : "changed"}, ${host.steps.length - changed} unchanged`;
}

/** How long the deployment ran, or has run so far (0 before it started). */
export function durationMs(deployment: Deployment, now: number): number {
  if (!deployment.started) return 0;
  return (deployment.finished ? msOf(deployment.finished) : now) - msOf(deployment.started);
}
