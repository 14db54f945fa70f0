/**
 * Sends a request again while the provider throttles it (429, or 503 as EC2's RequestLimitExceeded),
 * waiting what Retry-After (seconds or an HTTP date) or DigitalOcean's RateLimit-Reset asks, else a short
 * doubling backoff. Bounded twice: a few attempts, and no single wait longer than `maxWaitMs` (a longer
 * ask fails at once rather than hang nodin's loop). The request is rebuilt per attempt so that signatures
 * carry a fresh timestamp.
 */
import { CloudProviderError } from "./errors.ts";

export interface RetryPolicy {
  attempts: number;
  maxWaitMs: number;
  /** The first backoff when the provider names no wait. */
  backoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, maxWaitMs: 20_000, backoffMs: 500 };

export async function fetchWithRetry(
  provider: string,
  build: () => Promise<Request>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<Response> {
  for (let attempt = 1;; attempt++) {
    const request = await build();
    let response: Response;
    try {
      response = await fetch(request, { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CloudProviderError("unreachable", provider, `${request.url}: ${(error as Error).message}`);
    }
    if (response.status !== 429 && response.status !== 503) return response;
    const wait = waitAsked(response) ?? policy.backoffMs * 2 ** (attempt - 1);
    if (attempt >= policy.attempts || wait > policy.maxWaitMs) return response;
    await response.body?.cancel();
    await sleep(wait, signal);
  }
}

/** Milliseconds the answer asks to wait, from Retry-After or RateLimit-Reset (epoch seconds). */
export function waitAsked(response: Response, now = Date.now()): number | undefined {
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter !== null) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = response.headers.get("ratelimit-reset");
  if (reset !== null && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset.trim()) * 1000 - now);
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
