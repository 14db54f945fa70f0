import { Registry } from "../metrics/registry.ts";
import type { BuildState } from "./model.ts";

/** From a cached rebuild (seconds) to a whole disk image from scratch (an hour). */
const durationBuckets = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** What the artifact store holds: distinct files and their bytes. */
export interface StoredArtifacts {
  files: number;
  bytes: number;
}

/**
 * The builders' metrics (`ctpf_builders_*`): builds by kind and result, the one running, how long they
 * take, and what the artifact store holds. Builders holds one and counts each build once, as it ends.
 * Labels take fixed values only (kind names, results).
 */
export class BuildersMetrics {
  readonly #builds;
  readonly #running;
  readonly #duration;

  /** `stored` and `queued` are read at scrape time. */
  constructor(
    registry = new Registry(),
    stored: () => StoredArtifacts = () => ({ files: 0, bytes: 0 }),
    queued: () => number = () => 0,
  ) {
    this.#builds = registry.counter(
      "ctpf_builders_builds_total",
      "Builds ended, by kind and result (succeeded, failed, cancelled); a build cancelled while queued " +
        "counts, one a restart interrupted counts as failed.",
      ["kind", "result"],
    );
    this.#running = registry.gauge("ctpf_builders_builds_running", "Builds running now (one at a time).");
    registry.gaugeFunc("ctpf_builders_builds_queued", "Builds waiting for the running one.", queued);
    this.#duration = registry.histogram(
      "ctpf_builders_build_duration_seconds",
      "Time from a build's start to its end (builds that ran; not those cancelled while queued), by kind " +
        "and result.",
      durationBuckets,
      ["kind", "result"],
    );
    registry.gaugeFunc(
      "ctpf_builders_artifacts_stored",
      "Files in the artifact store (one per distinct content).",
      () => stored().files,
    );
    registry.gaugeFunc(
      "ctpf_builders_artifact_bytes_stored",
      "Bytes in the artifact store.",
      () => stored().bytes,
    );
  }

  started(): void {
    this.#running.add(1);
  }

  /** A build that ran ended after `ms`. */
  ranTo(kind: string, result: BuildState, ms: number): void {
    this.#running.add(-1);
    this.#duration.observe(ms / 1000, { kind, result });
    this.#builds.inc({ kind, result });
  }

  /** A build ended without running here (cancelled while queued, or interrupted by a restart). */
  endedUnrun(kind: string, result: BuildState): void {
    this.#builds.inc({ kind, result });
  }
}
