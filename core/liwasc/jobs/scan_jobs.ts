import type { Logger } from "../../log/logger.ts";
import type { LiwascMetrics } from "../metrics.ts";
import type { ScanKind, ScanRecord } from "../model.ts";
import type { JobKind } from "./job.ts";

/** A scan's record as it starts: running, nothing done yet. */
export function newScanRecord(kind: ScanKind, target: string, startedBy: string): ScanRecord {
  return {
    id: crypto.randomUUID(),
    kind,
    state: "running",
    started: Date.now(),
    target,
    ports: "",
    found: 0,
    done: 0,
    total: 0,
    startedBy,
  };
}

/** Node and port scans as jobs: they end done, cancelled or failed, a failure is logged, all are counted. */
export function scanJobKind(
  options: Pick<JobKind<ScanRecord>, "save" | "feed"> & { log: Logger; metrics: LiwascMetrics },
): JobKind<ScanRecord> {
  return {
    save: options.save,
    feed: options.feed,
    endState: (outcome) => outcome,
    onFailed: (record) =>
      options.log.warn("scan failed", { id: record.id, kind: record.kind, error: record.error }),
    onStarted: (record) => options.metrics.scanStarted(record.kind),
    onEnded: (record, outcome) => options.metrics.scanEnded(record.kind, outcome),
  };
}
