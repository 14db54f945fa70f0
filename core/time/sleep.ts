/** Resolves after `ms`, or as soon as `signal` aborts (never rejects): for paced loops that stop on cancel. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Waits until `done()` holds (checked every `stepMs`), `ms` pass, or `signal` aborts: a scan round's wait
 * for late answers ends as soon as nothing is left to wait for.
 */
export async function waitUntil(
  done: () => boolean,
  ms: number,
  signal?: AbortSignal,
  stepMs = 5,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done() && !signal?.aborted) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    await sleep(Math.min(stepMs, left), signal);
  }
}

/** A loop's pause that something else can end early (new work arrived, a wish changed), as well as its stop. */
export class WakeableSleep {
  #wake: (() => void) | undefined;

  /** Resolves after `ms`, on `wake()`, or when `signal` aborts; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const woken = new AbortController();
    this.#wake = () => woken.abort();
    const until = signal ? AbortSignal.any([signal, woken.signal]) : woken.signal;
    return sleep(ms, until).finally(() => this.#wake = undefined);
  }

  /** Ends the current sleep, if one is running (a wake with no sleep running is not kept). */
  wake(): void {
    this.#wake?.();
  }
}
