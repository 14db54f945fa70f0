import { type ConnectOutcome, tcpConnect } from "../../sys/mod.ts";

export interface PortResult extends Omit<ConnectOutcome, "state"> {
  host: string;
  port: number;
  protocol: "tcp" | "udp";
  /** nmap's port states; open|filtered only comes from UDP (no answer either way). */
  state: ConnectOutcome["state"] | "open|filtered";
}

export interface TcpConnectScanOptions {
  hosts: string[];
  ports: number[];
  /** Connection attempts in flight at once (nmap's connect scan keeps a few hundred). */
  concurrency?: number;
  /** Wait for an answer per attempt. */
  timeoutMs?: number;
  /** Attempts again for ports that stayed silent (packet loss looks like a filter). */
  retries?: number;
  netns?: string;
  device?: string;
  signal?: AbortSignal;
  onResult?: (result: PortResult) => void;
}

/**
 * TCP connect scan: a full connect() per (host, port), no privilege needed. A bounded pool of attempts
 * in flight; silent ports get `retries` more tries before they are called filtered. Cancelling stops
 * new attempts and returns what was found so far.
 */
export async function tcpConnectScan(options: TcpConnectScanOptions): Promise<PortResult[]> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 256, 4096));
  const timeoutMs = options.timeoutMs ?? 1000;
  const queue: { host: string; port: number; attempt: number }[] = [];
  for (const host of options.hosts) for (const port of options.ports) queue.push({ host, port, attempt: 0 });
  const results: PortResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !options.signal?.aborted) {
      const job = queue[next++];
      let outcome: ConnectOutcome;
      try {
        outcome = await tcpConnect(job.host, job.port, {
          timeoutMs,
          netns: options.netns,
          device: options.device,
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal?.aborted) return;
        throw error;
      }
      if (outcome.reason === "no-response" && job.attempt < (options.retries ?? 1)) {
        queue.push({ ...job, attempt: job.attempt + 1 });
        continue;
      }
      const result = { host: job.host, port: job.port, protocol: "tcp" as const, ...outcome };
      results.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return results.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
}
