import { ARP_REPLY, ARP_REQUEST, decodeArp, encodeArp } from "../net/arp.ts";
import { decodeEthernet, encodeEthernet, ETHERTYPE_ARP } from "../net/ethernet.ts";
import { BROADCAST_MAC, type MacAddress, macFromBytes } from "../net/mac.ts";
import type { Ipv4Address } from "../net/ipv4addr.ts";
import { macAddress, PacketSocket, withNetns } from "../sys/mod.ts";
import { sendPaced } from "./pacing.ts";
import type { ProbeCounter } from "./metrics.ts";
import type { ScanTarget } from "./targets.ts";
import { waitUntil } from "../time/sleep.ts";

/** One (address, MAC) pair seen in an ARP reply or announcement during a scan. */
export interface ArpSighting {
  ip: Ipv4Address;
  mac: MacAddress;
  time: Date;
  /** "reply" answers our request; "announcement" is a gratuitous ARP or another host's request. */
  how: "reply" | "announcement";
}

export interface ArpScanOptions {
  interface: string;
  /** The addresses to ask for, each with the local address to ask from (see targetsOf). */
  targets: ScanTarget[];
  /** Requests sent per second, all rounds together (arp-scan's default bandwidth is ~380/s). */
  ratePerSecond?: number;
  /** Rounds after the first, each asking again only for the addresses that have not answered (default 1). */
  retries?: number;
  /** How long to wait for late replies after each round. */
  roundTimeoutMs?: number;
  /** Network namespace to open the socket in (tests and multi-namespace hosts); default the caller's. */
  netns?: string;
  signal?: AbortSignal;
  /** Told about each sighting as it arrives (for live streams). */
  onSighting?: (sighting: ArpSighting) => void;
  /** Where requests sent and replies received are counted. */
  probes?: ProbeCounter;
}

export interface ArpScanResult {
  /** Every MAC seen per address, in the order first seen. Two or more MACs is an address conflict. */
  hosts: Map<Ipv4Address, MacAddress[]>;
  sightings: ArpSighting[];
  requestsSent: number;
  /** ARP frames received that were malformed (dropped and counted, never fatal). */
  malformed: number;
  cancelled: boolean;
}

const defaultRate = 1000;

/**
 * Asks every target address "who has?" over AF_PACKET on one interface and collects who answers, like
 * arp-scan: paced requests, several rounds for silent addresses, and every reply kept (a second MAC for
 * an address is a conflict worth showing, not a duplicate to drop).
 */
export async function arpScan(options: ArpScanOptions): Promise<ArpScanResult> {
  const open = () => {
    const socket = PacketSocket.open({ device: options.interface, ethertype: ETHERTYPE_ARP });
    return { socket, ownMac: macFromBytes(macAddress(options.interface)) };
  };
  const { socket, ownMac } = options.netns ? withNetns(options.netns, open) : open();
  const result: ArpScanResult = {
    hosts: new Map(),
    sightings: [],
    requestsSent: 0,
    malformed: 0,
    cancelled: false,
  };
  const wanted = new Set(options.targets.map((target) => target.ip));
  const stopReceiving = new AbortController();
  const receiving = receiveSightings(socket, ownMac, wanted, result, options, stopReceiving.signal);
  try {
    const rate = options.ratePerSecond ?? defaultRate;
    // Two attempts per address by default, as arp-scan makes.
    const rounds = 1 + Math.max(0, options.retries ?? 1);
    let pending = options.targets;
    for (let round = 0; round < rounds && pending.length > 0; round++) {
      if (options.signal?.aborted) break;
      result.requestsSent += await sendPaced({
        items: pending,
        ratePerSecond: rate,
        signal: options.signal,
        send: (target) => {
          socket.send(requestFrame(ownMac, target));
          options.probes?.sent("arp");
          return true;
        },
      });
      const asked = pending;
      await waitUntil(
        () => asked.every((target) => result.hosts.has(target.ip)),
        options.roundTimeoutMs ?? 500,
        options.signal,
      );
      pending = pending.filter((target) => !result.hosts.has(target.ip));
    }
  } finally {
    result.cancelled = options.signal?.aborted ?? false;
    stopReceiving.abort();
    await receiving;
    socket.close();
  }
  return result;
}

function requestFrame(ownMac: MacAddress, target: ScanTarget): Uint8Array<ArrayBuffer> {
  return encodeEthernet({
    destination: BROADCAST_MAC,
    source: ownMac,
    vlanTags: [],
    etherType: ETHERTYPE_ARP,
    payload: encodeArp({
      operation: ARP_REQUEST,
      senderMac: ownMac,
      senderIp: target.from,
      targetMac: 0,
      targetIp: target.ip,
    }),
  }, { padToMinimum: true });
}

async function receiveSightings(
  socket: PacketSocket,
  ownMac: MacAddress,
  wanted: Set<Ipv4Address>,
  result: ArpScanResult,
  options: ArpScanOptions,
  stop: AbortSignal,
): Promise<void> {
  for (;;) {
    let frame;
    try {
      frame = await socket.receive({ signal: stop });
    } catch {
      if (stop.aborted) return;
      continue;
    }
    const ethernet = decodeEthernet(frame.data);
    const arp = ethernet.ok ? decodeArp(ethernet.value.payload) : undefined;
    if (!arp?.ok) {
      result.malformed++;
      continue;
    }
    const packet = arp.value;
    if (packet.senderMac === ownMac || !wanted.has(packet.senderIp)) continue;
    const how = packet.operation === ARP_REPLY && packet.targetMac === ownMac ? "reply" : "announcement";
    if (how === "reply") options.probes?.answered("arp");
    const sighting = { ip: packet.senderIp, mac: packet.senderMac, time: new Date(), how } as const;
    result.sightings.push(sighting);
    const macs = result.hosts.get(packet.senderIp);
    if (!macs) result.hosts.set(packet.senderIp, [packet.senderMac]);
    else if (!macs.includes(packet.senderMac)) macs.push(packet.senderMac);
    options.onSighting?.(sighting);
  }
}
