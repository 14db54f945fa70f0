// The end of a run: one row per host (ok, changed or failed, with the error's kind and message), as
// text for a person and as data for --json.
import type { HostOutcome } from "../ssh/run_hosts.ts";
import type { StepResult } from "../ssh/target.ts";

export type HostStatus = "ok" | "changed" | "failed";

export interface HostSummary {
  host: string;
  /** ok: nothing changed; changed: something did (in a plan: would); failed: see error. */
  status: HostStatus;
  changedSteps: number;
  unchangedSteps: number;
  /** The host's architecture, when it was reached. */
  arch?: string;
  error?: { kind: string; message: string };
  durationMs: number;
  steps: StepResult[];
}

export function summarizeOutcome(outcome: HostOutcome<unknown>): HostSummary {
  const changedSteps = outcome.steps.filter((step) => step.changed).length;
  return {
    host: outcome.host,
    status: !outcome.ok ? "failed" : outcome.changed ? "changed" : "ok",
    changedSteps,
    unchangedSteps: outcome.steps.length - changedSteps,
    arch: outcome.facts?.arch,
    error: outcome.error ? { kind: outcome.error.kind, message: outcome.error.message } : undefined,
    durationMs: outcome.durationMs,
    steps: outcome.steps,
  };
}

/** A later phase's failure (e.g. a mesh check) on a host that had finished: the host counts as failed. */
export function markFailed(summary: HostSummary, kind: string, message: string): HostSummary {
  if (summary.status === "failed") return summary;
  return { ...summary, status: "failed", error: { kind, message } };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}`;
}

/**
 * The summary as lines: a row per host, aligned, then the totals. In a plan, "changed" reads "would change".
 * `verbose` adds each host's steps under its row.
 */
export function formatSummary(rows: HostSummary[], options: { plan: boolean; verbose?: boolean }): string[] {
  const changedWord = options.plan ? "would change" : "changed";
  const width = Math.max(4, ...rows.map((row) => row.host.length));
  const statusWidth = options.plan ? 12 : 7;
  const lines = [options.plan ? "summary (plan: nothing was changed)" : "summary"];
  for (const row of rows) {
    const status = (row.status === "changed" ? changedWord : row.status).padEnd(statusWidth);
    const detail = row.status === "failed"
      ? `${row.error?.kind ?? "error"}: ${row.error?.message ?? "failed"}`
      : `${plural(row.changedSteps, changedWord)}, ${plural(row.unchangedSteps, "unchanged")}`;
    lines.push(`  ${row.host.padEnd(width)}  ${status}  ${detail}  (${seconds(row.durationMs)})`);
    if (options.verbose) {
      for (const step of row.steps) {
        const verb = step.changed ? changedWord : "unchanged";
        lines.push(`  ${" ".repeat(width)}  ${verb}: ${step.step} (${step.detail})`);
      }
    }
  }
  const count = (status: HostStatus) => rows.filter((row) => row.status === status).length;
  const failed = count("failed");
  lines.push(
    `${rows.length} host${rows.length === 1 ? "" : "s"}: ${count("ok") + count("changed")} ok ` +
      `(${count("changed")} ${changedWord}), ${failed} failed`,
  );
  return lines;
}
