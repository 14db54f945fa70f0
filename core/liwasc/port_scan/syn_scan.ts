import { decodeIpv4, IP_PROTOCOL_TCP } from "../../net/ipv4.ts";
import { formatIpv4, parseIpv4 } from "../../net/ipv4addr.ts";
import { decodeTcp, encodeTcp, TCP_ACK, TCP_RST, TCP_SYN } from "../../net/tcp.ts";
import { IPPROTO_TCP, RawIpSocket, sourceAddressFor, withNetns } from "../../sys/mod.ts";
import { isQueueFull, sendPaced } from "../pacing.ts";
import type { ProbeCounter } from "../metrics.ts";
import type { PortResult } from "./tcp_connect_scan.ts";
import { waitUntil } from "../../time/sleep.ts";

export interface SynScanOptions {
  hosts: string[];
  ports: number[];
  /** SYNs per second, all rounds together. */
  ratePerSecond?: number;
  /** Rounds after the first, each probing again only the ports that stayed silent. */
  retries?: number;
  /** Wait for late answers after each round. */
  roundTimeoutMs?: number;
  netns?: string;
  device?: string;
  signal?: AbortSignal;
  onResult?: (result: PortResult) => void;
  /** Where SYNs sent and SYN-ACKs or RSTs received are counted. */
  probes?: ProbeCounter;
}

interface Probe {
  host: string;
  port: number;
  sentAt: number;
}

const defaultRate = 5000;

// MSS 1460: a SYN without options stands out to filters and some stacks answer it differently.
const synOptions = new Uint8Array([2, 4, 0x05, 0xb4]);

/**
 * TCP SYN ("half-open") scan over a raw socket, like nmap -sS: a SYN per port; SYN-ACK is open (the
 * kernel, which owns no socket on our source port, answers it with RST, so no connection is ever made),
 * RST is closed, silence after the retries is filtered. Each probe's sequence number is derived from the
 * port and host, so an answer is matched by its acknowledgment and stray segments are ignored.
 */
export async function synScan(options: SynScanOptions): Promise<PortResult[]> {
  const setup = () => ({
    socket: RawIpSocket.open({ protocol: IPPROTO_TCP, device: options.device }),
    sources: new Map(options.hosts.map((host) => [host, sourceAddressFor(host, options.device)])),
  });
  const { socket, sources } = options.netns ? withNetns(options.netns, setup) : setup();
  const sourcePort = 40_000 + Math.floor(Math.random() * 20_000);
  const base = crypto.getRandomValues(new Uint32Array(1))[0];
  const hostIndex = new Map(options.hosts.map((host, index) => [host, index]));
  const sequenceOf = (host: string, port: number) =>
    (base + Math.imul(port, 0x9e3779b1) + Math.imul(hostIndex.get(host)!, 0x85ebca6b)) >>> 0;
  const pending = new Map<string, Probe>();
  const results: PortResult[] = [];
  const finish = (key: string, state: PortResult["state"], reason: string) => {
    const probe = pending.get(key);
    if (!probe) return;
    pending.delete(key);
    const result: PortResult = {
      host: probe.host,
      port: probe.port,
      protocol: "tcp",
      state,
      reason,
      elapsedMs: Math.round((performance.now() - probe.sentAt) * 10) / 10,
    };
    results.push(result);
    options.onResult?.(result);
  };
  for (const host of options.hosts) {
    for (const port of options.ports) pending.set(`${host}:${port}`, { host, port, sentAt: 0 });
  }

  const stopReceiving = new AbortController();
  const receiving = (async () => {
    for (;;) {
      let datagram;
      try {
        datagram = await socket.receive({ signal: stopReceiving.signal });
      } catch {
        if (stopReceiving.signal.aborted) return;
        continue;
      }
      const ip = decodeIpv4(datagram.data);
      if (!ip.ok || ip.value.protocol !== IP_PROTOCOL_TCP) continue;
      const host = formatIpv4(ip.value.source);
      if (!hostIndex.has(host)) continue;
      const tcp = decodeTcp(ip.value.payload, ip.value);
      // The checksum is not checked: segments between local namespaces (veth) and from offloading NICs
      // arrive with it unfinished. The acknowledgment must match our 32-bit sequence instead.
      if (!tcp.ok || tcp.value.destinationPort !== sourcePort) continue;
      const { sourcePort: port, flags, acknowledgment } = tcp.value;
      if (acknowledgment !== ((sequenceOf(host, port) + 1) >>> 0)) continue;
      const key = `${host}:${port}`;
      if (flags & (TCP_SYN | TCP_RST)) options.probes?.answered("syn");
      if ((flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) finish(key, "open", "syn-ack");
      else if (flags & TCP_RST) finish(key, "closed", "reset");
    }
  })();

  const sendSyn = ([key, probe]: [string, Probe]): boolean => {
    // Answered since the round began (to an earlier round's SYN): nothing to ask.
    if (!pending.has(key)) return false;
    const source = sources.get(probe.host)!;
    const segment = encodeTcp({
      sourcePort,
      destinationPort: probe.port,
      sequence: sequenceOf(probe.host, probe.port),
      flags: TCP_SYN,
      window: 1024,
      options: synOptions,
    }, { source: parseIpv4(source), destination: parseIpv4(probe.host) });
    try {
      socket.sendTo(segment, probe.host);
    } catch (error) {
      // A full queue is the pacer's to wait out. An unreachable host: nothing to ask.
      if (!isQueueFull(error) && error instanceof Error && "code" in error) {
        finish(key, "filtered", String((error as { code: string }).code));
        return false;
      }
      throw error;
    }
    probe.sentAt = performance.now();
    options.probes?.sent("syn");
    return true;
  };

  try {
    const rounds = 1 + Math.max(0, options.retries ?? 1);
    for (let round = 0; round < rounds && pending.size > 0; round++) {
      if (options.signal?.aborted) break;
      await sendPaced({
        items: [...pending],
        ratePerSecond: options.ratePerSecond ?? defaultRate,
        signal: options.signal,
        send: sendSyn,
      });
      await waitUntil(() => pending.size === 0, options.roundTimeoutMs ?? 1000, options.signal);
    }
    if (!options.signal?.aborted) {
      for (const key of [...pending.keys()]) finish(key, "filtered", "no-response");
    }
  } finally {
    stopReceiving.abort();
    await receiving;
    socket.close();
  }
  return results.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
}
