// The deployers' records, as the store keeps them and the API shows them. Times are epoch milliseconds.

export type DeploymentState = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const finishedStates: DeploymentState[] = ["succeeded", "failed", "cancelled"];

export type HostState = "pending" | "running" | "ok" | "failed" | "cancelled";

export interface StepRecord {
  step: string;
  changed: boolean;
  detail: string;
}

export interface HostRecord {
  hostName: string;
  /** Empty for a host that left the mesh and is no longer a node. */
  nodeId: string;
  address: string;
  sshUser: string;
  overlayAddress: string;
  removed: boolean;
  state: HostState;
  changed: boolean;
  architecture: string;
  steps: StepRecord[];
  errorKind: string;
  errorMessage: string;
  mesh?: { reached: string[]; missing: string[] };
  durationMs: number;
  log: string[];
}

export interface GloethOptionsRecord {
  overlayNetwork: string;
  linkPort: number;
  dialOnlySelector: string;
}

export interface K3sOptionsRecord {
  serverSelector: string;
  version: string;
  cluster: string;
  overlayNetwork: string;
}

export interface DeploymentRecord {
  id: string;
  kind: string;
  plan: boolean;
  state: DeploymentState;
  labelSelector: string;
  nodeIds: string[];
  gloeth?: GloethOptionsRecord;
  k3s?: K3sOptionsRecord;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  createdBy: string;
  error: string;
  controllerSteps: StepRecord[];
  hosts: HostRecord[];
  changed: boolean;
  planDescription: string[];
  /** The deployment's own lines (start, controller steps, outcome). */
  log: string[];
}

export interface DeploymentRepository {
  save(deployment: DeploymentRecord): void;
  get(id: string): DeploymentRecord | undefined;
  /** Newest first. */
  list(limit: number): DeploymentRecord[];
  /** Newest first, without logs (up to 5,000 lines a host): what lists read, cheaply. */
  summaries(limit: number): DeploymentRecord[];
}

/** A deployment without its log lines (its own and its hosts'). */
export const withoutLogs = (deployment: DeploymentRecord): DeploymentRecord => ({
  ...deployment,
  log: [],
  hosts: deployment.hosts.map((host) => ({ ...host, log: [] })),
});

/**
 * A machine as the inventory (nodin) knows it. The deployers never read nodin's folder: the binary hands
 * them a TargetSource: in the all-in-one, cmd/deployers_targets.ts over nodin in process.
 */
export interface InventoryNode {
  id: string;
  name: string;
  labels: Record<string, string>;
  provider: string;
  addresses: string[];
  /** As nodin has it: "x64", "arm64", "x86_64", "aarch64" … or "". */
  architecture: string;
  lifecycle: string;
}

export interface TargetSource {
  /**
   * The nodes matching `labelSelector` (nodin's syntax; "" matches all), plus those named by id; a bad
   * selector is refused naming label_selector, an unknown id naming node_ids.
   */
  nodes(labelSelector: string, nodeIds: string[]): Promise<InventoryNode[]>;
}
