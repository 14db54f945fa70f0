// A deployer kind (gloeth, k3s) as the service runs it: it checks the options against the targets
// before anything is queued (field errors for the form), then runs (or plans) on them, reporting each
// host's log lines as they come and its outcome at the end. New kinds plug in here without the service
// knowing what they install.
import type { HostSpec } from "../deploy/ssh/host.ts";
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
