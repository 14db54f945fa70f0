import type { PortResult } from "./tcp_connect_scan.ts";

export interface ProbePoolOptions<R extends PortResult> {
  hosts: string[];
  ports: number[];
  concurrency: number;
  /** Probes again (up to this many times) when `silent(result)` says the answer was silence. */
  retries: number;
  /** One probe; undefined when it was cancelled. */
  probe: (host: string, port: number) => Promise<R | undefined>;
  silent: (result: R) => boolean;
  signal?: AbortSignal;
  onResult?: (result: R) => void;
}

/**
 * Runs one probe per (host, port) with at most `concurrency` in flight; a silent port goes to the back of
 * the queue for another try (packet loss and rate limits look like silence). Cancelling stops new probes;
 * the results so far come back sorted by host and port.
 */
export async function runProbePool<R extends PortResult>(options: ProbePoolOptions<R>): Promise<R[]> {
  const queue: { host: string; port: number; attempt: number }[] = [];
  for (const host of options.hosts) for (const port of options.ports) queue.push({ host, port, attempt: 0 });
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !options.signal?.aborted) {
      const job = queue[next++];
      const result = await options.probe(job.host, job.port);
      if (result === undefined) return;
      if (options.silent(result) && job.attempt < options.retries) {
        queue.push({ ...job, attempt: job.attempt + 1 });
        continue;
      }
      results.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency), queue.length) }, worker));
  return results.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
}
