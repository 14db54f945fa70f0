import { isErrno } from "../sys/mod.ts";
import { sleep } from "../time/sleep.ts";

export interface PacedSendOptions<T> {
  items: readonly T[];
  /** Average sends per second (at least 1). */
  ratePerSecond: number;
  /** Sends one item; false when it had nothing to send after all (it costs none of the rate). */
  send: (item: T) => boolean;
  signal?: AbortSignal;
}

// A timer per frame cannot keep up with thousands of frames a second; a slice this long can.
const sliceMs = 10;

/** Whether a send failed only because the transmit queue is full, so the same frame can go again later. */
export function isQueueFull(error: unknown): boolean {
  return isErrno(error, "EAGAIN") || isErrno(error, "ENOBUFS");
}

/**
 * Sends raw probes (ARP requests, SYNs) at an average rate: every 10 ms slice sends as many as are due
 * since the start, so the rate holds without a timer per frame. A full transmit queue ends the slice and
 * the same item goes again in the next one. Stops early when `signal` aborts; returns how many were sent.
 */
export async function sendPaced<T>(options: PacedSendOptions<T>): Promise<number> {
  const { items, signal } = options;
  const rate = Math.max(1, options.ratePerSecond);
  const started = performance.now();
  let next = 0;
  let sent = 0;
  while (next < items.length) {
    if (signal?.aborted) return sent;
    const due = Math.floor(((performance.now() - started) / 1000) * rate) + 1;
    while (next < items.length && sent < due && !signal?.aborted) {
      try {
        if (options.send(items[next])) sent++;
      } catch (error) {
        if (isQueueFull(error)) break;
        throw error;
      }
      next++;
    }
    if (next < items.length) await sleep(sliceMs, signal);
  }
  return sent;
}
