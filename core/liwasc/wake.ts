import { encodeEthernet } from "../net/ethernet.ts";
import { BROADCAST_MAC, type MacAddress, macFromBytes } from "../net/mac.ts";
import { cidrBroadcast, formatIpv4, type Ipv4Address } from "../net/ipv4addr.ts";
import { encodeMagicPacket, ETHERTYPE_WAKE_ON_LAN } from "../net/wol.ts";
import { macAddress, PacketSocket, UdpSocket, withNetns } from "../sys/mod.ts";
import { arpScan } from "./arp_scan.ts";
import type { LiwascMetrics } from "./metrics.ts";
import { subnetsOf, targetsOf } from "./targets.ts";

export type WakeTransport = "ethernet" | "udp";

export interface WakeOptions {
  interface: string;
  mac: MacAddress;
  /** SecureOn password (4 or 6 bytes). */
  password?: Uint8Array;
  /** Default both: a raw 0x0842 frame and a UDP broadcast, since NICs and switches differ in what they pass. */
  transports?: WakeTransport[];
  /** UDP port for the broadcast: 9 (discard, the common choice) or 7 (echo). */
  udpPort?: number;
  /** The node's last known address: when given, ARP probes follow the wake until it answers. */
  followIp?: Ipv4Address;
  /** How long to wait for the node to answer. */
  timeoutMs?: number;
  /** Between ARP probes; the magic packet is sent again every `resendEvery` probes. */
  probeIntervalMs?: number;
  resendEvery?: number;
  netns?: string;
  signal?: AbortSignal;
  onProgress?: (progress: WakeProgress) => void;
  /** Where magic packets and the follow-up's ARP probes are counted. */
  metrics?: LiwascMetrics;
}

export interface WakeProgress {
  state: "sent" | "waiting" | "awake" | "timed-out" | "cancelled";
  /** Magic packets sent so far (per transport). */
  packetsSent: number;
  /** ARP probes sent so far. */
  probes: number;
  /** The MAC that answered for followIp, once awake. */
  answeredBy?: MacAddress;
  elapsedMs: number;
}

/** Sends the magic packet once on each transport; returns how many went out. */
export function sendMagicPacket(options: WakeOptions): number {
  const payload = encodeMagicPacket({ mac: options.mac, password: options.password });
  const transports = options.transports ?? ["ethernet", "udp"];
  const send = () => {
    let sent = 0;
    if (transports.includes("ethernet")) {
      const socket = PacketSocket.open({ device: options.interface, ethertype: ETHERTYPE_WAKE_ON_LAN });
      try {
        const source = macFromBytes(macAddress(options.interface));
        socket.send(encodeEthernet({
          destination: BROADCAST_MAC,
          source,
          vlanTags: [],
          etherType: ETHERTYPE_WAKE_ON_LAN,
          payload,
        }, { padToMinimum: true }));
        sent++;
      } finally {
        socket.close();
      }
    }
    if (transports.includes("udp")) {
      // Bound to the interface, the limited broadcast leaves through it even without a route; the
      // subnet's directed broadcast also goes out, for NICs behind filters that drop 255.255.255.255.
      const socket = UdpSocket.open({ device: options.interface, broadcast: true });
      try {
        const port = options.udpPort ?? 9;
        socket.sendTo(payload, "255.255.255.255", port);
        for (const subnet of subnetsOf(options.interface)) {
          socket.sendTo(payload, formatIpv4(cidrBroadcast(subnet)), port);
        }
        sent++;
      } finally {
        socket.close();
      }
    }
    return sent;
  };
  const sent = options.netns ? withNetns(options.netns, send) : send();
  options.metrics?.magicPacketsSent(sent);
  return sent;
}

/**
 * Wakes a node and, when its address is known, follows it: ARP probes until it answers (awake) or the
 * timeout passes, sending the magic packet again now and then in case the first was lost.
 */
export async function wake(options: WakeOptions): Promise<WakeProgress> {
  const started = performance.now();
  const progress: WakeProgress = { state: "sent", packetsSent: 0, probes: 0, elapsedMs: 0 };
  const report = (state: WakeProgress["state"]) => {
    progress.state = state;
    progress.elapsedMs = Math.round(performance.now() - started);
    options.onProgress?.({ ...progress });
    return { ...progress };
  };
  progress.packetsSent += sendMagicPacket(options);
  report("sent");
  if (options.followIp === undefined) return progress;
  const subnets = subnetsOf(options.interface, options.netns);
  const target = targetsOf(subnets, [options.followIp]);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const interval = options.probeIntervalMs ?? 1000;
  const resendEvery = options.resendEvery ?? 10;
  while (performance.now() - started < timeoutMs) {
    if (options.signal?.aborted) return report("cancelled");
    const result = await arpScan({
      interface: options.interface,
      netns: options.netns,
      targets: target,
      retries: 0,
      roundTimeoutMs: Math.min(interval, Math.max(1, timeoutMs - (performance.now() - started))),
      signal: options.signal,
      probes: options.metrics,
    });
    progress.probes++;
    const macs = result.hosts.get(options.followIp);
    if (macs && macs.length > 0) {
      progress.answeredBy = macs.includes(options.mac) ? options.mac : macs[0];
      return report("awake");
    }
    if (progress.probes % resendEvery === 0) progress.packetsSent += sendMagicPacket(options);
    report("waiting");
  }
  return report(options.signal?.aborted ? "cancelled" : "timed-out");
}
