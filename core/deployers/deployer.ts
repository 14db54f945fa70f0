// A deployer kind (gloeth, k3s) as the service runs it: it checks the options against the targets
// before anything is queued (field errors for the form), then runs (or plans) on them, reporting each
// host's log lines as they come and its outcome at the end. New kinds plug in here without the service
// knowing what they install.
import type { HostSpec } from "../deploy/ssh/host.ts";
import type { HostOutcome } from "../deploy/ssh/run_hosts.ts";
import { FieldErrors } from "../errors/field_errors.ts";
import type { KnownHosts } from "../deploy/ssh/known_hosts.ts";
import type { GloethOptionsRecord, HostRecord, K3sOptionsRecord, StepRecord } from "./model.ts";
import type { DeployTarget } from "./targets.ts";

export interface DeployOptionsInput {
  gloeth?: Partial<GloethOptionsRecord>;
  k3s?: Partial<K3sOptionsRecord>;
}

export interface PrepareInput {
  /** The usable targets, in the order given. */
  targets: DeployTarget[];
  options: DeployOptionsInput;
  /** The ids of the nodes a label selector picks (nodin's syntax), for options that name hosts by label. */
  select(labelSelector: string): Promise<Set<string>>;
  /** How the executor reaches a target: the service's key, the host's user and port, the proxy. */
  hostSpec(target: DeployTarget): HostSpec;
}

export interface RunContext {
  plan: boolean;
  knownHosts: KnownHosts;
  /** A host's log line ("" for the deployment's own), as it happens. */
  onLog(hostName: string, line: string): void;
}

export interface DeployerOutcome {
  controllerSteps: StepRecord[];
  /** Every host's final record (logs included), the prepared ones and any that left. */
  hosts: HostRecord[];
  changed: boolean;
  planDescription: string[];
}

export interface PreparedDeployment {
  /** The options as they will be used (defaults filled in). */
  gloeth?: GloethOptionsRecord;
  k3s?: K3sOptionsRecord;
  /** The hosts as they start: pending, with what is known before contact. */
  hosts: HostRecord[];
  run(context: RunContext): Promise<DeployerOutcome>;
}

export interface Deployer {
  kind: string;
  title: string;
  description: string;
  /** Why this binary cannot run the kind yet; undefined when it can. */
  unavailable(): Promise<string | undefined>;
  /** Checks the options (FieldErrors naming gloeth.*, k3s.*) and fixes what the run needs. */
  prepare(input: PrepareInput): Promise<PreparedDeployment>;
}

/** A target before contact. */
export function pendingHost(target: DeployTarget, overlayAddress = ""): HostRecord {
  return blankHost({
    hostName: target.hostName,
    nodeId: target.node.id,
    address: target.address,
    sshUser: target.sshUser,
    overlayAddress,
    architecture: target.architecture,
  });
}

/** A host with what is known of it and nothing done yet. */
export function blankHost(
  known: Pick<HostRecord, "hostName" | "nodeId" | "address" | "sshUser" | "overlayAddress" | "architecture">,
): HostRecord {
  return {
    ...known,
    removed: false,
    state: "pending",
    changed: false,
    steps: [],
    errorKind: "",
    errorMessage: "",
    durationMs: 0,
    log: [],
  };
}

/** A host's record after the executor's outcome for it. */
export function withOutcome(host: HostRecord, outcome: HostOutcome<unknown>): HostRecord {
  host.state = outcome.ok ? "ok" : "failed";
  host.changed = outcome.changed;
  host.architecture = outcome.facts?.arch ?? host.architecture;
  host.steps = outcome.steps.map((step) => ({ ...step }));
  host.errorKind = outcome.error?.kind ?? "";
  host.errorMessage = outcome.error?.message ?? "";
  host.durationMs = outcome.durationMs;
  host.log = [...outcome.log];
  return host;
}

/**
 * A removed host that cannot be reached any more has left for good (retired, powered off): what the
 * controller did about it (a revocation, a node deleted) is what counts, so it is ok, with `step` noting
 * what could not be done on it. Any other failure stays a failure.
 */
export function acceptGoneHost(
  host: HostRecord,
  outcome: HostOutcome<unknown>,
  step: string,
  why: string,
): void {
  if (!host.removed || outcome.error?.kind !== "unreachable") return;
  host.state = "ok";
  host.steps.push({ step, changed: false, detail: `host unreachable, ${why}: ${outcome.error.message}` });
  host.errorKind = "";
  host.errorMessage = "";
}

/** The nodes a selector option picks; a bad selector is this option's error, not the targets'. */
export async function selected(input: PrepareInput, selector: string, field: string): Promise<Set<string>> {
  if (!selector.trim()) return new Set();
  try {
    return await input.select(selector);
  } catch (error) {
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new FieldErrors([{ field, message: reason }]);
  }
}

/**
 * An inventory's field errors (the service made the inventory: "hosts[2].ssh.user", "servers[0].arch")
 * as the request's: the target at fault by name under "targets", whole-inventory fields as `fields` says.
 */
export function asTargetErrors(
  error: unknown,
  targets: DeployTarget[],
  fields: Record<string, string>,
  byIndex: (list: string, index: number) => DeployTarget | undefined = (_list, index) => targets[index],
): unknown {
  if (!(error instanceof FieldErrors)) return error;
  return new FieldErrors(error.errors.map((entry) => {
    const host = /^(\w+)\[(\d+)\]/.exec(entry.field);
    if (host) {
      const target = byIndex(host[1], Number(host[2]));
      return { field: "targets", message: `${target?.hostName ?? entry.field}: ${entry.message}` };
    }
    const top = entry.field.split(/[.[]/)[0];
    return { field: fields[top] ?? "targets", message: entry.message };
  }));
}

/** A HostSpec as an inventory's `ssh` entry (what both deployers' inventories take). */
export function sshInput(spec: HostSpec) {
  return {
    address: spec.address,
    port: spec.port,
    user: spec.user,
    identityFiles: spec.identityFiles,
    agent: false,
    proxyCommand: spec.proxyCommand,
    connectTimeoutMs: spec.connectTimeoutMs,
  };
}
