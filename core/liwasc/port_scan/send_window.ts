export interface SendWindowOptions {
  /** The congestion window's ceiling: probes unanswered at once. */
  maxInFlight: number;
  /** The rate's ceiling, probes per second. */
  ratePerSecond: number;
  /** The window at the start (default 64, or maxInFlight when smaller). */
  initialWindow?: number;
}

// Sends allowed at once after an idle stretch: 10 ms worth of the rate, so a burst stays short.
const burstMs = 10;

/**
 * How many probes a scan may send now: a congestion window clocked by the answers (one more per answer,
 * halved on a loss, as TCP's) and a ceiling on the rate (a token bucket); and the sender's sleep, which
 * an answer that frees a good part of the window ends early.
 */
export class SendWindow {
  readonly #maxInFlight: number;
  readonly #rate: number;
  readonly #minWindow: number;
  #window: number;
  #tokens: number;
  #tokensAt = performance.now();
  #unanswered = 0;
  #wake: (() => void) | undefined;

  constructor(options: SendWindowOptions) {
    this.#maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
    this.#rate = Math.max(1, options.ratePerSecond);
    this.#minWindow = Math.min(this.#maxInFlight, 8);
    this.#window = Math.min(this.#maxInFlight, Math.max(1, options.initialWindow ?? 64));
    this.#tokens = this.#burst();
  }

  get window(): number {
    return Math.floor(this.#window);
  }

  #burst(): number {
    return Math.max(1, (this.#rate * burstMs) / 1000);
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.#burst(), this.#tokens + ((now - this.#tokensAt) / 1000) * this.#rate);
    this.#tokensAt = now;
  }

  /** How many may go now, with `unanswered` probes out. */
  budget(now: number, unanswered: number): number {
    this.#refill(now);
    this.#unanswered = unanswered;
    return Math.max(0, Math.min(Math.floor(this.#window) - unanswered, Math.floor(this.#tokens)));
  }

  /** One probe went out. */
  sent(): void {
    this.#tokens--;
    this.#unanswered++;
  }

  /** An answer came: the window grows, and a sender waiting on a full window goes on. */
  answered(): void {
    this.#unanswered = Math.max(0, this.#unanswered - 1);
    if (this.#window < this.#maxInFlight) this.#window = Math.min(this.#maxInFlight, this.#window + 1);
    // Waking per answer would cost a timer per answer; a quarter of the window free is worth a turn.
    if (this.#window - this.#unanswered >= Math.max(1, this.#window / 4)) this.#wake?.();
  }

  /** A probe's wait ran out; `lost` when its host answers others (loss, not a filter): halve the window. */
  expired(lost: boolean): void {
    this.#unanswered = Math.max(0, this.#unanswered - 1);
    if (lost) this.#window = Math.max(this.#minWindow, this.#window / 2);
  }

  /** Milliseconds until the rate allows one more send. */
  nextSendInMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : ((1 - this.#tokens) / this.#rate) * 1000;
  }

  /** Sleeps `ms`, or until answered() frees the window, or `signal` aborts; never rejects. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      this.#wake = done;
    });
  }
}
