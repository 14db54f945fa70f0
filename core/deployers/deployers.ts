// The deployment engine: checks a request (kind, targets from the inventory, the kind's options) before
// anything is queued, runs deployments one at a time (they share the controller's state and the
// known-hosts file), streams each host's log lines live, and keeps every deployment's results.
import { FieldErrors } from "../errors/field_errors.ts";
import { InputError } from "../errors/input_error.ts";
import type { HostSpec } from "../deploy/ssh/host.ts";
import type { KnownHosts } from "../deploy/ssh/known_hosts.ts";
import type { Logger } from "../log/logger.ts";
import { Registry } from "../metrics/registry.ts";
import { Hub } from "../stream/hub.ts";
import type { Deployer, DeployOptionsInput, PreparedDeployment } from "./deployer.ts";
import { DeployersMetrics } from "./metrics.ts";
import {
  type DeploymentRecord,
  type DeploymentRepository,
  finishedStates,
  type HostRecord,
  type TargetSource,
  withoutLogs,
} from "./model.ts";
import { type DeployTarget, type HostNameRepository, type TargetSettings, toTargets } from "./targets.ts";

const LIST_LIMIT = 500;
/** Lines kept per host and for the deployment itself: a chatty host cannot grow the record without bound. */
const MAX_LOG_LINES = 5_000;
const STOP_GRACE_MS = 3_000;

export interface DeploymentEvent {
  id: string;
  /** The deployment changed (state, a host's state); without logs. */
  deployment?: DeploymentRecord;
  /** A log line ("" host: the deployment's own). */
  log?: { hostName: string; line: string };
}

export interface StartRequest extends DeployOptionsInput {
  kind: string;
  labelSelector: string;
  nodeIds: string[];
  plan: boolean;
}

export interface DeployersOptions {
  log: Logger;
  deployers: Deployer[];
  targets: TargetSource;
  targetSettings: TargetSettings;
  repository: DeploymentRepository;
  /** Each node's host name, kept from the first deployment (not plan) that targets it. */
  hostNames: HostNameRepository;
  knownHosts: KnownHosts;
  /** How a target is reached (the service's key, its proxy), by the target. */
  hostSpec(target: DeployTarget): HostSpec;
  metrics?: Registry;
}

function appendBounded(lines: string[], line: string): void {
  if (lines.length < MAX_LOG_LINES) lines.push(line);
  else if (lines.length === MAX_LOG_LINES) lines.push("… (more lines not kept)");
}

export class Deployers {
  readonly events = new Hub<DeploymentEvent>({
    historySize: 0,
    subscriberQueue: 20_000,
    maxSubscribers: 200,
  });
  readonly kinds: Map<string, Deployer>;
  readonly #metrics: DeployersMetrics;
  /** Deployments not finished yet, as they are now (logs included); the store has them as they started. */
  readonly #live = new Map<string, DeploymentRecord>();
  readonly #prepared = new Map<string, PreparedDeployment>();
  #queue: Promise<void> = Promise.resolve();
  #ran = 0;

  constructor(private readonly options: DeployersOptions) {
    this.kinds = new Map(options.deployers.map((deployer) => [deployer.kind, deployer]));
    this.#metrics = new DeployersMetrics(
      options.metrics ?? new Registry(),
      () => [...this.#live.values()].filter((d) => d.state === "queued").length,
    );
  }

  /** Deployments (plans too) that ran since the start. */
  get deploymentsRun(): number {
    return this.#ran;
  }

  /** Deployments left unfinished by a stopped process are failed: their hosts may be half done. */
  start(): void {
    for (const summary of this.options.repository.summaries(LIST_LIMIT)) {
      if (finishedStates.includes(summary.state)) continue;
      const deployment = this.options.repository.get(summary.id)!;
      deployment.state = "failed";
      deployment.error = "interrupted by a restart: run it again (a second run changes only what is left)";
      deployment.finishedAt = Date.now();
      for (const host of deployment.hosts) {
        if (host.state === "pending" || host.state === "running") host.state = "cancelled";
      }
      this.options.repository.save(deployment);
      this.#metrics.ended(deployment.kind, "failed");
    }
  }

  /**
   * Queued deployments are cancelled. A running one cannot be stopped midway: it is given a little time,
   * and one still running then is marked interrupted at the next start.
   */
  async stop(): Promise<void> {
    for (const id of this.#prepared.keys()) {
      const queued = this.#live.get(id);
      if (queued?.state === "queued") this.cancel(id);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#queue, new Promise((resolve) => timer = setTimeout(resolve, STOP_GRACE_MS))]);
    clearTimeout(timer);
  }

  async targets(labelSelector: string): Promise<DeployTarget[]> {
    return this.#withDetected(
      toTargets(
        await this.options.targets.nodes(labelSelector, []),
        this.options.targetSettings,
        this.options.hostNames.hostNames(),
      ),
    );
  }

  /**
   * Targets whose node names no architecture get the one a deployment detected on them (the newest): a
   * node seen only by DHCP or a scan has none, and k3s must know it before contact.
   */
  #withDetected(targets: DeployTarget[]): DeployTarget[] {
    const unknown = new Set(targets.filter((t) => !t.architecture).map((t) => t.node.id));
    if (unknown.size === 0) return targets;
    const detected = new Map<string, string>();
    for (const deployment of this.options.repository.summaries(LIST_LIMIT)) {
      for (const host of deployment.hosts) {
        if (unknown.has(host.nodeId) && !detected.has(host.nodeId) && host.architecture) {
          detected.set(host.nodeId, host.architecture);
        }
      }
    }
    return targets.map((target) => {
      const architecture = detected.get(target.node.id);
      return architecture === "x86_64" || architecture === "aarch64" ? { ...target, architecture } : target;
    });
  }

  /** Checks everything it can before queueing: FieldErrors name the kind, the targets or an option. */
  async create(request: StartRequest, createdBy: string): Promise<DeploymentRecord> {
    const deployer = this.kinds.get(request.kind);
    if (!deployer) {
      throw new FieldErrors([{ field: "kind", message: `one of ${[...this.kinds.keys()].join(", ")}` }]);
    }
    if (!request.labelSelector.trim() && request.nodeIds.length === 0) {
      throw new FieldErrors([{
        field: "label_selector",
        message: "pick targets: a label selector or nodes",
      }]);
    }
    const nodes = await this.options.targets.nodes(request.labelSelector, request.nodeIds);
    // Retired nodes are gone: a selector that still matches them leaves them out.
    const targets = this.#withDetected(
      toTargets(nodes, this.options.targetSettings, this.options.hostNames.hostNames()),
    )
      .filter((target) => target.node.lifecycle !== "retired" || request.nodeIds.includes(target.node.id));
    const unusable = targets.filter((target) => !target.usable);
    if (unusable.length > 0) {
      throw new FieldErrors(unusable.map((target) => ({
        field: "targets",
        message: `${target.node.name || target.node.id}: ${target.unusableReason}`,
      })));
    }
    if (targets.length === 0) {
      throw new FieldErrors([{ field: "label_selector", message: "matches no node" }]);
    }
    const prepared = await deployer.prepare({
      targets,
      options: request,
      select: async (selector) =>
        new Set((await this.options.targets.nodes(selector, [])).map((node) => node.id)),
      hostSpec: this.options.hostSpec,
    });
    // Checked last: the form's other mistakes are worth naming even while the kind cannot run.
    const unavailable = await deployer.unavailable();
    if (unavailable) throw new FieldErrors([{ field: "kind", message: unavailable }]);
    // From now on these nodes are these hosts, whatever nodin renames them to.
    if (!request.plan) {
      this.options.hostNames.keepHostNames(
        new Map(targets.map((target) => [target.node.id, target.hostName])),
      );
    }
    const deployment: DeploymentRecord = {
      id: crypto.randomUUID(),
      kind: deployer.kind,
      plan: request.plan,
      state: "queued",
      labelSelector: request.labelSelector,
      nodeIds: request.nodeIds,
      gloeth: prepared.gloeth,
      k3s: prepared.k3s,
      createdAt: Date.now(),
      createdBy,
      error: "",
      controllerSteps: [],
      hosts: prepared.hosts,
      changed: false,
      planDescription: [],
      log: [],
    };
    this.options.repository.save(deployment);
    this.#live.set(deployment.id, deployment);
    this.#prepared.set(deployment.id, prepared);
    this.#publish(deployment);
    // As it was queued: the run changes the live record from the next turn on.
    const queued = structuredClone(deployment);
    // A failure outside the deployers' own handling (the store closed under a run at shutdown) is logged,
    // and never stops the deployments queued after it.
    this.#queue = this.#queue.then(() => this.#run(deployment.id)).catch((error) =>
      this.options.log.error("deployment run broke off", {
        id: deployment.id,
        error: (error as Error).message,
      })
    );
    return queued;
  }

  get(id: string): DeploymentRecord {
    const deployment = this.#live.get(id) ?? this.options.repository.get(id);
    if (!deployment) throw new InputError("id", `no deployment ${id}`, "not-found");
    return deployment;
  }

  /** The newest deployments, without logs (get has them). */
  list(): DeploymentRecord[] {
    return this.options.repository.summaries(LIST_LIMIT).map((stored) => {
      const live = this.#live.get(stored.id);
      return live ? withoutLogs(live) : stored;
    });
  }

  /** Cancels a queued deployment; a running one goes on (its hosts would be left half done). */
  cancel(id: string): DeploymentRecord {
    const deployment = this.get(id);
    if (deployment.state !== "queued") {
      throw new InputError(
        "id",
        deployment.state === "running"
          ? `deployment ${id} is running: it finishes, each host within the host timeout`
          : `deployment ${id} has already ${deployment.state}`,
        "precondition",
      );
    }
    this.#prepared.delete(id);
    deployment.state = "cancelled";
    deployment.finishedAt = Date.now();
    for (const host of deployment.hosts) host.state = "cancelled";
    this.#finish(deployment);
    this.#metrics.ended(deployment.kind, "cancelled");
    return deployment;
  }

  #publish(deployment: DeploymentRecord): void {
    this.events.publish({ id: deployment.id, deployment: withoutLogs(deployment) });
  }

  #line(deployment: DeploymentRecord, hostName: string, line: string): void {
    const host = hostName ? deployment.hosts.find((entry) => entry.hostName === hostName) : undefined;
    appendBounded(host ? host.log : deployment.log, line);
    this.events.publish({ id: deployment.id, log: { hostName, line } });
    if (host?.state === "pending") {
      host.state = "running";
      this.#publish(deployment);
    }
  }

  #finish(deployment: DeploymentRecord): void {
    this.options.repository.save(deployment);
    this.#live.delete(deployment.id);
    this.#publish(deployment);
  }

  async #run(id: string): Promise<void> {
    const prepared = this.#prepared.get(id);
    const deployment = this.#live.get(id);
    this.#prepared.delete(id);
    // Cancelled while queued: already recorded as such.
    if (!prepared || !deployment) return;
    const started = Date.now();
    deployment.state = "running";
    deployment.startedAt = started;
    this.options.repository.save(deployment);
    this.#publish(deployment);
    this.#metrics.started();
    const say = (line: string) => this.#line(deployment, "", `${new Date().toISOString()} ${line}`);
    say(
      `${deployment.plan ? "plan" : "deployment"} ${deployment.kind} on ${deployment.hosts.length} hosts: ` +
        deployment.hosts.map((host) => `${host.hostName} (${host.address})`).join(", "),
    );
    try {
      const outcome = await prepared.run({
        plan: deployment.plan,
        knownHosts: this.options.knownHosts,
        onLog: (hostName, line) => this.#line(deployment, hostName, line),
      });
      deployment.controllerSteps = outcome.controllerSteps;
      deployment.hosts = this.#merged(deployment.hosts, outcome.hosts);
      deployment.changed = outcome.changed;
      deployment.planDescription = outcome.planDescription;
      for (const step of outcome.controllerSteps) {
        say(`controller: ${step.changed ? "changed" : "unchanged"}: ${step.step} (${step.detail})`);
      }
      const failed = deployment.hosts.filter((host) => host.state !== "ok");
      deployment.state = failed.length === 0 ? "succeeded" : "failed";
      say(
        failed.length === 0
          ? `all ${deployment.hosts.length} hosts ${deployment.plan ? "planned" : "done"}` +
            (deployment.changed ? "" : ", nothing changed")
          : `failed on ${failed.map((host) => `${host.hostName} (${host.errorKind})`).join(", ")}`,
      );
    } catch (error) {
      deployment.state = "failed";
      deployment.error = (error as Error).message;
      for (const host of deployment.hosts) {
        if (host.state === "pending" || host.state === "running") host.state = "cancelled";
      }
      say(`failed: ${deployment.error}`);
    }
    deployment.finishedAt = Date.now();
    this.#ran++;
    this.#metrics.ranTo(deployment.kind, deployment.state, deployment.finishedAt - started, deployment.hosts);
    this.options.log.info(`deployment ${deployment.state}`, {
      id,
      kind: deployment.kind,
      plan: deployment.plan,
      hosts: deployment.hosts.length,
      failed: deployment.hosts.filter((host) => host.state !== "ok").map((host) => host.hostName).join(","),
      ms: deployment.finishedAt - started,
    });
    this.#finish(deployment);
  }

  /** The outcome's hosts, keeping the lines streamed live for hosts whose outcome has fewer. */
  #merged(before: HostRecord[], after: HostRecord[]): HostRecord[] {
    const seen = new Map(before.map((host) => [host.hostName, host]));
    return after.map((host) => {
      const live = seen.get(host.hostName);
      const log = live && live.log.length > host.log.length ? live.log : host.log;
      return {
        ...host,
        log: log.length > MAX_LOG_LINES ? [...log.slice(0, MAX_LOG_LINES), "… (more lines not kept)"] : log,
      };
    });
  }
}
