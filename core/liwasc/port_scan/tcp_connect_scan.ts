import { type ConnectOutcome, tcpConnect } from "../../sys/mod.ts";
import type { ProbeCounter } from "../metrics.ts";
import { runProbePool } from "./probe_pool.ts";

export interface PortResult extends Omit<ConnectOutcome, "state"> {
  host: string;
  port: number;
  protocol: "tcp" | "udp";
  /** nmap's port states; open|filtered only comes from UDP (no answer either way). */
  state: ConnectOutcome["state"] | "open|filtered";
}

/** What every port scan takes: where, what, how hard, and how to stop it. */
export interface PortScanOptions {
  hosts: string[];
  ports: number[];
  /** Probes in flight at once. */
  concurrency?: number;
  /** Wait for an answer per probe. */
  timeoutMs?: number;
  /** Probes again for ports that stayed silent (packet loss and rate limits look like a filter). */
  retries?: number;
  netns?: string;
  device?: string;
  signal?: AbortSignal;
  /** Where probes sent and answers received are counted. */
  probes?: ProbeCounter;
}

export interface TcpConnectScanOptions extends PortScanOptions {
  onResult?: (result: PortResult) => void;
}

/**
 * TCP connect scan: a full connect() per (host, port), no privilege needed. A bounded pool of attempts
 * in flight; silent ports get `retries` more tries before they are called filtered. Cancelling stops
 * new attempts and returns what was found so far.
 */
export function tcpConnectScan(options: TcpConnectScanOptions): Promise<PortResult[]> {
  const timeoutMs = options.timeoutMs ?? 1000;
  return runProbePool<PortResult>({
    hosts: options.hosts,
    ports: options.ports,
    concurrency: Math.min(options.concurrency ?? 256, 4096),
    retries: options.retries ?? 1,
    signal: options.signal,
    onResult: options.onResult,
    silent: (result) => result.reason === "no-response",
    async probe(host, port) {
      try {
        options.probes?.sent("tcp_connect");
        const outcome = await tcpConnect(host, port, {
          timeoutMs,
          netns: options.netns,
          device: options.device,
          signal: options.signal,
        });
        // Accepted (SYN-ACK) or refused (RST): the host answered.
        if (outcome.state !== "filtered") options.probes?.answered("tcp_connect");
        return { host, port, protocol: "tcp", ...outcome };
      } catch (error) {
        if (options.signal?.aborted) return undefined;
        throw error;
      }
    },
  });
}
