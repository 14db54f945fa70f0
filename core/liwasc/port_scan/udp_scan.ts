import { isErrno, SysError, UdpSocket, withNetns } from "../../sys/mod.ts";
import { probeFor } from "../udp_probes/mod.ts";
import { runProbePool } from "./probe_pool.ts";
import type { PortResult, PortScanOptions } from "./tcp_connect_scan.ts";

// Silent ports are probed again by default: a lost datagram, or an ICMP answer held back by the
// target's rate limit (Linux sends about one port-unreachable per second by default), looks like silence.
export interface UdpScanOptions extends PortScanOptions {
  onResult?: (result: UdpPortResult) => void;
}

export interface UdpPortResult extends PortResult {
  /** The service the reply was recognised as, and what it said (version, name, …). */
  service?: string;
  detail?: string;
}

/**
 * UDP scan, nmap's verdicts: a reply is open, ICMP port-unreachable is closed, other ICMP unreachables
 * are filtered, and silence is open|filtered. Each probe carries a payload the port's usual service
 * answers (DNS, NTP, SNMP, …), since most UDP services ignore an empty datagram.
 */
export function udpScan(options: UdpScanOptions): Promise<UdpPortResult[]> {
  const timeoutMs = options.timeoutMs ?? 1000;
  return runProbePool<UdpPortResult>({
    hosts: options.hosts,
    ports: options.ports,
    concurrency: Math.min(options.concurrency ?? 64, 1024),
    retries: options.retries ?? 1,
    signal: options.signal,
    onResult: options.onResult,
    silent: (result) => result.state === "open|filtered",
    probe: (host, port) => probeUdp(host, port, timeoutMs, options),
  });
}

async function probeUdp(
  host: string,
  port: number,
  timeoutMs: number,
  options: UdpScanOptions,
): Promise<UdpPortResult | undefined> {
  const probe = probeFor(port);
  // The connected socket receives the port's own replies and the ICMP errors about what it sent (port
  // unreachable: closed). For a protocol that answers from a fresh port (TFTP's transfer ID, RFC 1350), a
  // second, unconnected socket on the same local port gets replies from the target's other ports.
  const open = () => {
    const connected = (localPort?: number) =>
      UdpSocket.openConnected(host, port, { device: options.device, port: localPort });
    if (!probe.answersFromNewPort) return { connected: connected() };
    const anyPort = UdpSocket.open({ device: options.device });
    try {
      return { anyPort, connected: connected(anyPort.localAddress().port) };
    } catch (error) {
      anyPort.close();
      throw error;
    }
  };
  const { anyPort, connected } = options.netns ? withNetns(options.netns, open) : open();
  const started = performance.now();
  const base = { host, port, protocol: "udp" as const };
  const elapsedMs = () => Math.round((performance.now() - started) * 10) / 10;
  const stop = new AbortController();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([timeout, stop.signal, ...(options.signal ? [options.signal] : [])]);
  try {
    connected.sendTo(probe.payload(), host, port);
    options.probes?.sent("udp");
    // Settles only with the protocol's answer from another port of the target; anything else from there
    // is not about this port. Its end at the timeout is the connected socket's to report.
    const fromElsewhere = anyPort
      ? (async () => {
        for (;;) {
          const datagram = await anyPort.receive({ signal });
          if (datagram.address === host && probe.recognise(datagram.data)) return datagram.data;
        }
      })().catch(() => new Promise<never>(() => {}))
      : new Promise<never>(() => {});
    // The connected socket settles first with a reply, an ICMP error (SysError) or the timeout.
    const reply = await Promise.race([
      connected.receive({ signal }).then((datagram) => datagram.data),
      fromElsewhere,
    ]);
    options.probes?.answered("udp");
    const recognised = probe.recognise(reply);
    return {
      ...base,
      state: "open",
      reason: "udp-response",
      elapsedMs: elapsedMs(),
      service: recognised?.service,
      detail: recognised?.detail,
    };
  } catch (error) {
    if (options.signal?.aborted) return undefined;
    if (isErrno(error, "ECONNREFUSED")) {
      options.probes?.answered("udp");
      return { ...base, state: "closed", reason: "port-unreach", elapsedMs: elapsedMs() };
    }
    if (error instanceof SysError) {
      return { ...base, state: "filtered", reason: error.code, elapsedMs: elapsedMs() };
    }
    return { ...base, state: "open|filtered", reason: "no-response", elapsedMs: elapsedMs() };
  } finally {
    stop.abort();
    connected.close();
    anyPort?.close();
  }
}
