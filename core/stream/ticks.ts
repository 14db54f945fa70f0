import { sleep } from "../time/sleep.ts";
import type { Subscribable } from "./snapshot_then_changes.ts";

/**
 * A change every `intervalMs`, for state that is polled rather than published (gloeth's mesh status):
 * streamed with snapshotThenChanges like any hub. Each tick is the time it fired; nothing is replayed and
 * there is no subscriber limit, since a tick holds no queue.
 */
export function ticks(intervalMs: number): Subscribable<number> {
  return { subscribe: (_replay, signal) => tickUntilAborted(intervalMs, signal) };
}

async function* tickUntilAborted(intervalMs: number, signal: AbortSignal): AsyncGenerator<number> {
  while (!signal.aborted) {
    await sleep(intervalMs, signal);
    if (signal.aborted) return;
    yield Date.now();
  }
}
