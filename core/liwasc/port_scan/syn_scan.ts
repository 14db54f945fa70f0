import { decodeIpv4, IP_PROTOCOL_TCP } from "../../net/ipv4.ts";
import { parseIpv4 } from "../../net/ipv4addr.ts";
import { decodeTcp, TCP_ACK, TCP_RST, TCP_SYN } from "../../net/tcp.ts";
import { IPPROTO_TCP, MessageBatch, RawIpSocket, sourceAddressFor, withNetns } from "../../sys/mod.ts";
import { encodeSockaddrIn, SOCKADDR_IN_SIZE } from "../../sys/sockaddr.ts";
import { isQueueFull } from "../pacing.ts";
import type { ProbeCounter } from "../metrics.ts";
import type { PortResult } from "./tcp_connect_scan.ts";
import { RttTimeout } from "./rtt_timeout.ts";
import { SendWindow } from "./send_window.ts";
import { SynProbeWriter } from "./syn_probe.ts";

export interface SynScanOptions {
  hosts: string[];
  ports: number[];
  /** Ceiling on SYNs per second, first tries and retries together. */
  ratePerSecond?: number;
  /** Tries after the first for a port that stayed silent (lost SYNs and rate limits look like a filter). */
  retries?: number;
  /** The wait for an answer until round trips have been measured, and the most it ever becomes. */
  roundTimeoutMs?: number;
  /** The least wait for an answer, however fast the answers so far came (nmap's --min-rtt-timeout). */
  minTimeoutMs?: number;
  /** Ceiling on SYNs unanswered at once (the congestion window's largest size). */
  maxInFlight?: number;
  netns?: string;
  device?: string;
  signal?: AbortSignal;
  onResult?: (result: PortResult) => void;
  /** Where SYNs sent and SYN-ACKs or RSTs received are counted. */
  probes?: ProbeCounter;
}

export const synScanDefaults = {
  ratePerSecond: 100_000,
  retries: 1,
  roundTimeoutMs: 1000,
  minTimeoutMs: 100,
  maxInFlight: 2048,
} as const;

// MSS 1460: a SYN without options stands out to filters and some stacks answer it differently.
const synOptions = new Uint8Array([2, 4, 0x05, 0xb4]);
// Answers queued in the kernel while JS is busy sending: enough for a full window of them.
const receiveBufferBytes = 4 << 20;
// SYNs per sendmmsg and answers per recvmmsg: a system call per batch instead of one per packet (a
// syscall is costly under a hypervisor), yet a batch is only a sliver of the window.
const batchSize = 64;
// Answers are headers only (SYN-ACK or RST); a larger packet is cut and then fails to decode, as any
// malformed one does.
const answerBytes = 2048;

const queued = 0, inFlight = 1, finished = 2;

/**
 * TCP SYN ("half-open") scan over a raw socket, like nmap -sS: a SYN per port; SYN-ACK is open (the
 * kernel, which owns no socket on our source port, answers it with RST, so no connection is ever made),
 * RST is closed, silence after the retries is filtered. Each probe's sequence number is derived from the
 * port and host, so an answer is matched by its acknowledgment and stray segments are ignored.
 *
 * Pacing is clocked by the answers, as TCP's is: at most a congestion window of SYNs is unanswered at a
 * time (it grows with each answer and halves when a host that answers loses one), under a ceiling on the
 * rate. A silent probe is given up after a wait learnt from the measured round trips (per host, else
 * from all hosts), so a scan of answering hosts ends with its last answer and a filtered port costs a
 * few round-trip timeouts rather than a fixed second.
 */
export async function synScan(options: SynScanOptions): Promise<PortResult[]> {
  const settings = { ...synScanDefaults, ...definedOnly(options) };
  const { hosts, ports } = options;
  const setup = () => ({
    socket: RawIpSocket.open({ protocol: IPPROTO_TCP, device: options.device, receiveBufferBytes }),
    sources: hosts.map((host) => parseIpv4(sourceAddressFor(host, options.device))),
  });
  const { socket, sources } = options.netns ? withNetns(options.netns, setup) : setup();
  const destinations = hosts.map(parseIpv4);
  const sourcePort = 40_000 + Math.floor(Math.random() * 20_000);
  const base = crypto.getRandomValues(new Uint32Array(1))[0];
  const sequenceOf = (hostIndex: number, port: number) =>
    (base + Math.imul(port, 0x9e3779b1) + Math.imul(hostIndex, 0x85ebca6b)) >>> 0;
  const hostIndex = new Map(destinations.map((address, index) => [address, index]));
  const portIndex = new Int32Array(65_536).fill(-1);
  ports.forEach((port, index) => portIndex[port] = index);

  // One probe per (host, port): id = host × ports + port index. Ports go out host by host in turn, so
  // each host sees a share of the rate rather than all of it.
  const count = hosts.length * ports.length;
  const state = new Uint8Array(count);
  const tries = new Uint8Array(count);
  const sentAt = new Float64Array(count);
  const hostTimeouts = hosts.map(() => new RttTimeout(settings.minTimeoutMs, settings.roundTimeoutMs));
  const anyTimeout = new RttTimeout(settings.minTimeoutMs, settings.roundTimeoutMs);
  const answeredBy = new Uint32Array(hosts.length);
  const timeoutOf = (host: number) =>
    (hostTimeouts[host].samples > 0 ? hostTimeouts[host] : anyTimeout).timeoutMs();
  const window = new SendWindow({
    maxInFlight: settings.maxInFlight,
    ratePerSecond: settings.ratePerSecond,
  });
  const fresh: number[] = [];
  for (let port = 0; port < ports.length; port++) {
    for (let host = 0; host < hosts.length; host++) fresh.push(host * ports.length + port);
  }
  let nextFresh = 0;
  const again: number[] = [];
  // Probes in the order sent; entries whose probe was answered or sent again since are skipped.
  const flight: { id: number; at: number }[] = [];
  let flightHead = 0;
  let unanswered = 0;
  let left = count;
  // Each probe's result by id, so the results come back in order without a sort.
  const results: (PortResult | undefined)[] = new Array(count);

  const finish = (id: number, verdict: PortResult["state"], reason: string, now = performance.now()) => {
    if (state[id] === finished) return;
    if (state[id] === inFlight) unanswered--;
    state[id] = finished;
    left--;
    const host = Math.floor(id / ports.length);
    const result: PortResult = {
      host: hosts[host],
      port: ports[id % ports.length],
      protocol: "tcp",
      state: verdict,
      reason,
      elapsedMs: Math.round((now - sentAt[id]) * 10) / 10,
    };
    results[id] = result;
    options.onResult?.(result);
  };

  const stopReceiving = new AbortController();
  const answers = new MessageBatch({ capacity: batchSize, slotBytes: answerBytes });
  const answerSlots = Array.from({ length: batchSize }, (_, i) => answers.slot(i));
  // Answers counted per batch of them, for the metrics.
  let answeredCount = 0;
  // One answer; `now` is when its batch was read.
  const take = (packet: Uint8Array, now: number) => {
    const ip = decodeIpv4(packet);
    if (!ip.ok || ip.value.protocol !== IP_PROTOCOL_TCP) return;
    const host = hostIndex.get(ip.value.source);
    if (host === undefined) return;
    const tcp = decodeTcp(ip.value.payload, ip.value);
    // The checksum is not checked: segments between local namespaces (veth) and from offloading NICs
    // arrive with it unfinished. The acknowledgment must match our 32-bit sequence instead.
    if (!tcp.ok || tcp.value.destinationPort !== sourcePort) return;
    const { sourcePort: port, flags, acknowledgment } = tcp.value;
    if (acknowledgment !== ((sequenceOf(host, port) + 1) >>> 0)) return;
    const index = portIndex[port];
    if (index < 0) return;
    const id = host * ports.length + index;
    if (state[id] === finished) return;
    if (flags & (TCP_SYN | TCP_RST)) answeredCount++;
    let verdict: PortResult["state"], reason: string;
    if ((flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) [verdict, reason] = ["open", "syn-ack"];
    else if (flags & TCP_RST) [verdict, reason] = ["closed", "reset"];
    else return;
    if (tries[id] === 1 && state[id] === inFlight) {
      const rtt = now - sentAt[id];
      hostTimeouts[host].sample(rtt);
      anyTimeout.sample(rtt);
    }
    answeredBy[host]++;
    finish(id, verdict, reason, now);
    window.answered();
  };
  const receiving = (async () => {
    for (;;) {
      let count: number;
      try {
        count = await socket.receiveBatch(answers, { signal: stopReceiving.signal });
      } catch {
        if (stopReceiving.signal.aborted) return;
        continue;
      }
      const now = performance.now();
      for (let i = 0; i < count; i++) take(answerSlots[i].subarray(0, answers.length(i)), now);
      options.probes?.answered("syn", answeredCount);
      answeredCount = 0;
    }
  })();

  // SYNs are written into a batch and sent by one sendmmsg; every probe's bytes but port, sequence and
  // checksum are the same.
  const writer = new SynProbeWriter({ sourcePort, window: 1024, options: synOptions });
  const addressSums = hosts.map((_, host) => writer.addressSum(sources[host], destinations[host]));
  const sockaddrs = hosts.map((host) => encodeSockaddrIn(host, 0));
  const synBatch = new MessageBatch({
    capacity: batchSize,
    slotBytes: writer.length,
    addressBytes: SOCKADDR_IN_SIZE,
  });
  const probeSlots = Array.from({ length: batchSize }, (_, i) => synBatch.slot(i));
  const probeAddresses = Array.from({ length: batchSize }, (_, i) => synBatch.address(i));
  const batchIds = new Int32Array(batchSize);

  const markSent = (id: number, now: number) => {
    state[id] = inFlight;
    tries[id]++;
    sentAt[id] = now;
    unanswered++;
    flight.push({ id, at: now });
    window.sent();
  };

  // Sends the `count` probes in the batch; false when the transmit queue filled up (the probes not sent
  // go back in the queue, to go again soon).
  const sendBatch = (count: number): boolean => {
    let from = 0;
    while (from < count) {
      try {
        const accepted = socket.sendBatch(synBatch, from, count);
        const now = performance.now();
        for (let k = from; k < from + accepted; k++) markSent(batchIds[k], now);
        options.probes?.sent("syn", accepted);
        from += accepted;
      } catch (error) {
        if (isQueueFull(error)) {
          for (let k = count - 1; k >= from; k--) again.push(batchIds[k]);
          return false;
        }
        // An unreachable host (no route, no ARP answer): nothing to ask.
        if (error instanceof Error && "code" in error) {
          finish(batchIds[from], "filtered", String((error as { code: string }).code));
          from++;
          continue;
        }
        throw error;
      }
    }
    return true;
  };

  // The next probe to send (a retry first), taken off its queue; -1 when none is left.
  const nextProbe = (): number => {
    for (;;) {
      if (again.length > 0) {
        const id = again.pop()!;
        if (state[id] !== finished) return id;
      } else if (nextFresh < fresh.length) {
        const id = fresh[nextFresh++];
        if (state[id] !== finished) return id;
      } else return -1;
    }
  };

  // Silent probes whose wait is over: sent again, or filtered after the last try.
  const expire = (now: number) => {
    while (flightHead < flight.length) {
      const { id, at } = flight[flightHead];
      if (state[id] !== inFlight || sentAt[id] !== at) {
        flightHead++;
        continue;
      }
      const host = Math.floor(id / ports.length);
      if (now < at + timeoutOf(host)) break;
      flightHead++;
      unanswered--;
      // A host that answers others and not this one lost it: back off, as TCP does on loss.
      window.expired(answeredBy[host] > 0);
      if (tries[id] <= settings.retries) {
        state[id] = queued;
        again.push(id);
      } else {
        state[id] = queued;
        finish(id, "filtered", "no-response");
      }
    }
    if (flightHead > 4096 && flightHead * 2 > flight.length) {
      flight.splice(0, flightHead);
      flightHead = 0;
    }
  };

  try {
    while (left > 0 && !options.signal?.aborted) {
      const now = performance.now();
      expire(now);
      let budget = window.budget(now, unanswered);
      while (budget > 0) {
        let count = 0;
        for (; count < Math.min(budget, batchSize); count++) {
          const id = nextProbe();
          if (id < 0) break;
          const host = Math.floor(id / ports.length);
          const port = ports[id % ports.length];
          batchIds[count] = id;
          synBatch.setLength(
            count,
            writer.write(probeSlots[count], addressSums[host], port, sequenceOf(host, port)),
          );
          probeAddresses[count].set(sockaddrs[host]);
        }
        if (count === 0 || !sendBatch(count)) break;
        budget -= count;
      }
      if (left === 0) break;
      // Sleep until an answer frees the window, the oldest probe's wait is over, or the rate allows more.
      let waitMs = Infinity;
      for (let i = flightHead; i < flight.length; i++) {
        const { id, at } = flight[i];
        if (state[id] !== inFlight || sentAt[id] !== at) continue;
        waitMs = at + timeoutOf(Math.floor(id / ports.length)) - now;
        break;
      }
      const more = again.length > 0 || nextFresh < fresh.length;
      if (more && unanswered < window.window) waitMs = Math.min(waitMs, window.nextSendInMs(now));
      await window.wait(Math.max(0, Math.min(waitMs, settings.roundTimeoutMs)), options.signal);
    }
  } finally {
    stopReceiving.abort();
    await receiving;
    socket.close();
  }
  // By host (as text, the order every scan reports in), then port.
  const hostOrder = hosts.map((_, host) => host).sort((a, b) => hosts[a].localeCompare(hosts[b]));
  const portOrder = ports.map((_, index) => index).sort((a, b) => ports[a] - ports[b]);
  const ordered: PortResult[] = [];
  for (const host of hostOrder) {
    for (const index of portOrder) {
      const result = results[host * ports.length + index];
      if (result) ordered.push(result);
    }
  }
  return ordered;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
