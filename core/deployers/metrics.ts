import { Registry } from "../metrics/registry.ts";
import type { DeploymentState, HostRecord } from "./model.ts";

/** From a plan on a few hosts (seconds) to installing on many over slow links (half an hour). */
const durationBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800];

/**
 * The deployers' metrics (`ctpf_deployers_*`): deployments by kind and result, the one running, how long
 * they take, and hosts by result. Labels take fixed values only (kind names, results).
 */
export class DeployersMetrics {
  readonly #deployments;
  readonly #running;
  readonly #duration;
  readonly #hosts;

  /** `queued` is read at scrape time. */
  constructor(registry = new Registry(), queued: () => number = () => 0) {
    this.#deployments = registry.counter(
      "ctpf_deployers_deployments_total",
      "Deployments ended (plans too), by kind and result (succeeded, failed, cancelled); one a restart " +
        "interrupted counts as failed.",
      ["kind", "result"],
    );
    this.#running = registry.gauge(
      "ctpf_deployers_deployments_running",
      "Deployments running now (one at a time).",
    );
    registry.gaugeFunc(
      "ctpf_deployers_deployments_queued",
      "Deployments waiting for the running one.",
      queued,
    );
    this.#duration = registry.histogram(
      "ctpf_deployers_deployment_duration_seconds",
      "Time from a deployment's start to its end (those that ran), by kind and result.",
      durationBuckets,
      ["kind", "result"],
    );
    this.#hosts = registry.counter(
      "ctpf_deployers_hosts_total",
      "Hosts of deployments that ran, by kind and result (ok, failed, cancelled).",
      ["kind", "result"],
    );
  }

  started(): void {
    this.#running.add(1);
  }

  /** A deployment that ran ended after `ms`. */
  ranTo(kind: string, result: DeploymentState, ms: number, hosts: HostRecord[]): void {
    this.#running.add(-1);
    this.#duration.observe(ms / 1000, { kind, result });
    this.#deployments.inc({ kind, result });
    for (const host of hosts) {
      this.#hosts.inc({
        kind,
        result: host.state === "ok" ? "ok" : host.state === "failed" ? "failed" : "cancelled",
      });
    }
  }

  /** A deployment ended without running (cancelled while queued, or interrupted by a restart). */
  ended(kind: string, result: DeploymentState): void {
    this.#deployments.inc({ kind, result });
  }
}
