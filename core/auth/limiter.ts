/**
 * Bounds concurrent expensive work (scrypt: ~50 ms CPU and 16 MiB each): at most `concurrency` run, at
 * most `queue` wait, and anything beyond is refused at once, so a flood of password guesses costs the
 * attacker more than the server.
 */
export class ConcurrencyLimiter {
  #running = 0;
  #waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number, private readonly queue: number) {}

  /** Runs `work` when a slot is free; undefined when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.queue) return undefined;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
