import { WakeableSleep } from "../../time/sleep.ts";
export interface SyncTiming {
  /** Between listings of an account that answers. */
  syncMs: number;
  /** The longest wait between listings of an account that keeps failing (doubling from syncMs). */
  maxBackoffMs: number;
  /** Longest wait for one listing or one provider call. */
  callTimeoutMs: number;
}

export const defaultSyncTiming: SyncTiming = {
  syncMs: 60_000,
  maxBackoffMs: 1_800_000,
  callTimeoutMs: 60_000,
};

/**
 * Runs `run` now and then every `syncMs`, doubling the wait after each failure (up to `maxBackoffMs`),
 * each run bounded by `callTimeoutMs`. `wake` runs it at once (an account changed); `stop` ends it.
 */
export class SyncLoop {
  readonly #stop = new AbortController();
  readonly #nap = new WakeableSleep();
  #failures = 0;
  nextAt = 0;
  readonly done: Promise<void>;

  constructor(
    private readonly run: (signal: AbortSignal) => Promise<boolean>,
    private readonly timing: SyncTiming,
  ) {
    this.done = this.#loop();
  }

  wake(): void {
    this.#failures = 0;
    this.#nap.wake();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#nap.wake();
    await this.done;
  }

  async #loop(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      const signal = AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.timing.callTimeoutMs)]);
      const ok = await this.run(signal).catch(() => false);
      this.#failures = ok ? 0 : this.#failures + 1;
      const delay = ok
        ? this.timing.syncMs
        : Math.min(this.timing.syncMs * 2 ** Math.min(this.#failures, 20), this.timing.maxBackoffMs);
      this.nextAt = Date.now() + delay;
      await this.#nap.sleep(delay, this.#stop.signal);
    }
  }
}
