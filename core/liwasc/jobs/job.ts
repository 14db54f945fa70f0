/** What every job's record carries, scans and wakes alike. Times are epoch milliseconds. */
export interface JobRecord {
  id: string;
  state: string;
  started: number;
  finished?: number;
  error?: string;
}

/** How a job's work ended: it returned (done, or cancelled when it was asked to stop) or threw. */
export type JobOutcome = "done" | "cancelled" | "failed";

/** One kind of job (node scans, port scans, wakes): where its records are kept and watched. */
export interface JobKind<R extends JobRecord> {
  /** The history: the record is saved when the job starts and once more when it ends. */
  save(record: R): void;
  /** The live feed (a Hub): a copy of the record at the start, on progress and at the end. */
  feed: { publish(record: R): void };
  /** The state the record ends in; a kind whose work sets the state itself may keep it. */
  endState(outcome: JobOutcome, record: R): R["state"];
  /** Told about a failed job once its record says why (for the log). */
  onFailed?(record: R): void;
  /** Told about each job as it starts, and as it ends with its final state (for metrics). */
  onStarted?(record: R): void;
  onEnded?(record: R, outcome: JobOutcome): void;
}

/** A running job as its work sees it. */
export interface JobContext<R extends JobRecord> {
  /** The record, updated in place by the work. */
  readonly record: R;
  /** Aborts when the job is cancelled or liwasc stops. */
  readonly signal: AbortSignal;
  /** Publishes the record as it is now. */
  publish(): void;
  /**
   * A publisher for per-result progress: a copy reaches the feed at most every 250 ms, so a fast scan
   * does not flood its watchers. Each call makes a fresh one (a new stretch of work publishes at once).
   */
  progressPublisher(): () => void;
}

export type JobWork<R extends JobRecord> = (job: JobContext<R>) => Promise<void>;

/** A job checked and planned but not started: the record it starts with and the work to run. */
export interface PlannedJob<R extends JobRecord> {
  record: R;
  work: JobWork<R>;
}

const progressEveryMs = 250;

/**
 * The life-cycle every liwasc job shares: a started job is saved and published, runs in the background
 * until its work ends or it is cancelled, and is then stamped finished, saved and published once more.
 * A runner holds the jobs of one kind that are still running.
 */
export class JobRunner<R extends JobRecord> {
  readonly #kind: JobKind<R>;
  readonly #running = new Map<string, { record: R; controller: AbortController }>();

  constructor(kind: JobKind<R>) {
    this.#kind = kind;
  }

  /**
   * Starts a planned job. Returns a copy of its first record at once, and `ended`, which settles after
   * the last record was saved and published.
   */
  start(planned: PlannedJob<R>): { record: R; ended: Promise<void> } {
    const { record, work } = planned;
    const kind = this.#kind;
    const controller = new AbortController();
    this.#running.set(record.id, { record, controller });
    kind.save(record);
    kind.onStarted?.(record);
    const publish = () => kind.feed.publish({ ...record });
    publish();
    const context: JobContext<R> = {
      record,
      signal: controller.signal,
      publish,
      progressPublisher: () => {
        // The first update goes out at once, however young the process (performance.now() starts at 0).
        let last = -Infinity;
        return () => {
          const now = performance.now();
          if (now - last <= progressEveryMs) return;
          last = now;
          publish();
        };
      },
    };
    const end = (outcome: JobOutcome, error?: unknown) => {
      record.state = kind.endState(outcome, record);
      record.finished = Date.now();
      if (outcome === "failed") record.error = (error as Error)?.message ?? String(error);
      this.#running.delete(record.id);
      if (outcome === "failed") kind.onFailed?.(record);
      kind.onEnded?.(record, outcome);
      kind.save(record);
      publish();
    };
    const ended = work(context).then(
      () => end(controller.signal.aborted ? "cancelled" : "done"),
      (error) => end("failed", error),
    );
    return { record: { ...record }, ended };
  }

  /** The records of the jobs still running, in the order they started. */
  running(): R[] {
    return [...this.#running.values()].map((entry) => entry.record);
  }

  /** Asks a running job to stop; its record, or undefined when no such job is running. */
  cancel(id: string): R | undefined {
    const running = this.#running.get(id);
    running?.controller.abort();
    return running?.record;
  }

  cancelAll(): void {
    for (const { controller } of this.#running.values()) controller.abort();
  }
}
