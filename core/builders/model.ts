import type { Parameters } from "./kind.ts";

export type BuildState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export const finishedStates: BuildState[] = ["succeeded", "failed", "cancelled"];

/** One BuildKit vertex (a Dockerfile step or an internal one) as the build's progress showed it. */
export interface BuildStep {
  digest: string;
  name: string;
  cached: boolean;
  started?: number;
  completed?: number;
  error?: string;
  /** The step's output, the last MAX_STEP_LOG characters of it. */
  log: string;
}

export interface ArtifactRecord {
  /** Path under the build's /out, e.g. "ipxe.efi". */
  name: string;
  sha256: string;
  size: number;
  /** Where bofied serves it ("builds/lab/ipxe.efi"), when it was published. */
  publishedPath?: string;
}

export interface BuildRecord {
  id: string;
  kind: string;
  parameters: Parameters;
  state: BuildState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  error?: string;
  steps: BuildStep[];
  artifacts: ArtifactRecord[];
  createdBy: string;
  /** The build this one repeats (Rebuild). */
  rebuildOf?: string;
}

export interface BuildRepository {
  save(build: BuildRecord): void;
  get(id: string): BuildRecord | undefined;
  /** Newest first. */
  list(limit: number): BuildRecord[];
  delete(id: string): void;
}

/** Publishes artifacts where machines boot from; the binary adapts bofied's boot tree to it. */
export interface ArtifactPublisher {
  publish(path: string, content: Uint8Array): Promise<void>;
  unpublish(path: string): Promise<void>;
}
