/** One answered HTTP request, as bofied's HTTP area reports it. */
export interface Served {
  path: string;
  status: number;
  bytes: number;
  client: string;
}

/** Several identical answers (same path, status and client) inside one window. */
export interface ServedBatch extends Served {
  count: number;
}

/**
 * A booting fleet fetches the same few files thousands of times a second: one event per request would
 * cost more than serving the file and would flush every other event out of the stream's history within
 * moments. Answers are summed per (path, status, client) and reported once per window instead, so each
 * machine's fetches still show, with a count.
 */
export class ServedCoalescer {
  readonly #pending = new Map<string, ServedBatch>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly report: (batch: ServedBatch) => void,
    private readonly windowMs = 250,
  ) {}

  add(served: Served): void {
    const key = `${served.status} ${served.client} ${served.path}`;
    const batch = this.#pending.get(key);
    if (batch) {
      batch.count++;
      batch.bytes += served.bytes;
      return;
    }
    this.#pending.set(key, { ...served, count: 1 });
    this.#timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Reports everything pending now. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batches = [...this.#pending.values()];
    this.#pending.clear();
    for (const batch of batches) this.report(batch);
  }
}
