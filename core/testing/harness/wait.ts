// Bounded waiting for tests: every wait has a deadline and clears its timer, so Deno's sanitizers see
// no leftover timers and a hung peer fails the test instead of hanging it.

/** True if `promise` settles within `ms` (its rejection counts as settled), false on timeout. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `promise`'s value, or an Error naming `what` if it takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An AbortSignal that fires after `ms`; dispose it (`using`) to clear the timer when done early. */
export function deadline(ms: number, what = "operation"): { signal: AbortSignal } & Disposable {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  return { signal: controller.signal, [Symbol.dispose]: () => clearTimeout(timer) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
  /** Called on timeout; what it returns (the state that was waited on, say) is added to the error. */
  describe?: () => string | Promise<string>;
}

/**
 * Polls `probe` until it returns something other than undefined/false, for at most timeoutMs
 * (default 5 s). For conditions with no event to wait on, such as "socat is listening".
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 20;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= end) {
      const detail = options.describe === undefined ? "" : `\n${await options.describe()}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? "condition"}${detail}`);
    }
    await sleep(intervalMs);
  }
}
