// Hand-built Ethernet/ARP/IPv4/ICMP/TCP frames for platform tests (core/sys against the kernel). Kept
// deliberately tiny and independent of core/net, so a codec bug cannot hide a platform bug; services
// and their tests use core/net.

export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export function macBytes(mac: string): Uint8Array {
  const parts = mac.split(":");
  if (parts.length !== 6 || parts.some((part) => !/^[0-9a-fA-F]{2}$/.test(part))) {
    throw new TypeError(`not a MAC address: ${mac}`);
  }
  return Uint8Array.from(parts, (part) => parseInt(part, 16));
}

export function macString(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 6), (byte) => byte.toString(16).padStart(2, "0")).join(":");
}

export function ipBytes(ip: string): Uint8Array {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new TypeError(`not an IPv4 address: ${ip}`);
  }
  return Uint8Array.from(parts);
}

export function ipString(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join(".");
}

export function ethernetFrame(dst: string, src: string, ethertype: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(14 + payload.length);
  frame.set(macBytes(dst), 0);
  frame.set(macBytes(src), 6);
  new DataView(frame.buffer).setUint16(12, ethertype);
  frame.set(payload, 14);
  return frame;
}

export function ethertypeOf(frame: Uint8Array): number | undefined {
  return frame.length < 14 ? undefined : (frame[12] << 8) | frame[13];
}

export interface Arp {
  /** 1 request, 2 reply. */
  op: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

/** An Ethernet frame carrying ARP for IPv4 over Ethernet; requests go to broadcast, replies to target. */
export function arpFrame(arp: Arp): Uint8Array {
  const body = new Uint8Array(28);
  const view = new DataView(body.buffer);
  view.setUint16(0, 1); // hardware: Ethernet
  view.setUint16(2, ETHERTYPE_IPV4);
  body[4] = 6;
  body[5] = 4;
  view.setUint16(6, arp.op);
  body.set(macBytes(arp.senderMac), 8);
  body.set(ipBytes(arp.senderIp), 14);
  body.set(macBytes(arp.targetMac), 18);
  body.set(ipBytes(arp.targetIp), 24);
  const destination = arp.op === 1 ? BROADCAST_MAC : arp.targetMac;
  return ethernetFrame(destination, arp.senderMac, ETHERTYPE_ARP, body);
}

export function parseArp(frame: Uint8Array): Arp | undefined {
  if (ethertypeOf(frame) !== ETHERTYPE_ARP || frame.length < 42) return undefined;
  const body = frame.subarray(14);
  if (body[4] !== 6 || body[5] !== 4) return undefined;
  return {
    op: (body[6] << 8) | body[7],
    senderMac: macString(body.subarray(8)),
    senderIp: ipString(body.subarray(14)),
    targetMac: macString(body.subarray(18)),
    targetIp: ipString(body.subarray(24)),
  };
}

/** RFC 1071 ones' complement sum, as IPv4 and ICMP use it. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface IcmpEcho {
  /** 8 request, 0 reply. */
  type: number;
  srcMac: string;
  dstMac: string;
  srcIp: string;
  dstIp: string;
  id: number;
  seq: number;
  payload: Uint8Array;
}

export function icmpEchoFrame(echo: IcmpEcho): Uint8Array {
  const icmp = new Uint8Array(8 + echo.payload.length);
  const icmpView = new DataView(icmp.buffer);
  icmp[0] = echo.type;
  icmpView.setUint16(4, echo.id);
  icmpView.setUint16(6, echo.seq);
  icmp.set(echo.payload, 8);
  icmpView.setUint16(2, internetChecksum(icmp));
  const packet = new Uint8Array(20 + icmp.length);
  const view = new DataView(packet.buffer);
  packet[0] = 0x45;
  view.setUint16(2, packet.length);
  view.setUint16(4, echo.seq); // identification: any value will do for an unfragmented packet
  view.setUint16(6, 0x4000); // don't fragment
  packet[8] = 64;
  packet[9] = 1; // ICMP
  packet.set(ipBytes(echo.srcIp), 12);
  packet.set(ipBytes(echo.dstIp), 16);
  view.setUint16(10, internetChecksum(packet.subarray(0, 20)));
  packet.set(icmp, 20);
  return ethernetFrame(echo.dstMac, echo.srcMac, ETHERTYPE_IPV4, packet);
}

/** The ICMP echo in a frame, or undefined for anything else or for a bad checksum. */
export function parseIcmpEcho(frame: Uint8Array): IcmpEcho | undefined {
  if (ethertypeOf(frame) !== ETHERTYPE_IPV4 || frame.length < 14 + 20 + 8) return undefined;
  const packet = frame.subarray(14);
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = (packet[2] << 8) | packet[3];
  if (packet[0] >> 4 !== 4 || headerLength < 20 || totalLength > packet.length || packet[9] !== 1) {
    return undefined;
  }
  if (internetChecksum(packet.subarray(0, headerLength)) !== 0) return undefined;
  const icmp = packet.subarray(headerLength, totalLength);
  if (icmp.length < 8 || internetChecksum(icmp) !== 0 || (icmp[0] !== 0 && icmp[0] !== 8)) return undefined;
  return {
    type: icmp[0],
    dstMac: macString(frame.subarray(0, 6)),
    srcMac: macString(frame.subarray(6, 12)),
    srcIp: ipString(packet.subarray(12, 16)),
    dstIp: ipString(packet.subarray(16, 20)),
    id: (icmp[4] << 8) | icmp[5],
    seq: (icmp[6] << 8) | icmp[7],
    payload: icmp.slice(8),
  };
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  srcMac: string;
  dstMac: string;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCP_SYN | TCP_ACK … */
  flags: number;
  window: number;
  /** Raw option bytes, a multiple of 4 long (e.g. MSS: 2, 4, high, low). */
  options?: Uint8Array;
  payload?: Uint8Array;
}

/** An Ethernet frame carrying one TCP segment over IPv4, with both checksums filled in. */
export function tcpFrame(segment: TcpSegment): Uint8Array {
  const options = segment.options ?? new Uint8Array(0);
  const payload = segment.payload ?? new Uint8Array(0);
  if (options.length % 4 !== 0 || options.length > 40) {
    throw new RangeError(`TCP options must be 4-byte words, at most 40 bytes: ${options.length}`);
  }
  const tcpLength = 20 + options.length + payload.length;
  // The pseudo header (addresses, protocol, TCP length) is summed with the segment, so build them together.
  const summed = new Uint8Array(12 + tcpLength);
  summed.set(ipBytes(segment.srcIp), 0);
  summed.set(ipBytes(segment.dstIp), 4);
  summed[9] = 6;
  const summedView = new DataView(summed.buffer);
  summedView.setUint16(10, tcpLength);
  const tcp = summed.subarray(12);
  const view = new DataView(tcp.buffer, tcp.byteOffset);
  view.setUint16(0, segment.srcPort);
  view.setUint16(2, segment.dstPort);
  view.setUint32(4, segment.seq >>> 0);
  view.setUint32(8, segment.ack >>> 0);
  tcp[12] = ((20 + options.length) / 4) << 4;
  tcp[13] = segment.flags;
  view.setUint16(14, segment.window);
  tcp.set(options, 20);
  tcp.set(payload, 20 + options.length);
  view.setUint16(16, internetChecksum(summed));

  const packet = new Uint8Array(20 + tcpLength);
  const ipView = new DataView(packet.buffer);
  packet[0] = 0x45;
  ipView.setUint16(2, packet.length);
  ipView.setUint16(6, 0x4000); // don't fragment
  packet[8] = 64;
  packet[9] = 6; // TCP
  packet.set(ipBytes(segment.srcIp), 12);
  packet.set(ipBytes(segment.dstIp), 16);
  ipView.setUint16(10, internetChecksum(packet.subarray(0, 20)));
  packet.set(tcp, 20);
  return ethernetFrame(segment.dstMac, segment.srcMac, ETHERTYPE_IPV4, packet);
}

export interface ParsedTcp extends Required<TcpSegment> {
  /** IPv4 total length as written in the header. */
  ipTotalLength: number;
}

/**
 * The TCP segment in a frame, or undefined for anything else. Checksums are not verified: a frame the
 * kernel hands over with checksum offload (virtio_net_hdr NEEDS_CSUM) carries only a partial one.
 */
export function parseTcp(frame: Uint8Array): ParsedTcp | undefined {
  if (ethertypeOf(frame) !== ETHERTYPE_IPV4 || frame.length < 14 + 20 + 20) return undefined;
  const packet = frame.subarray(14);
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = (packet[2] << 8) | packet[3];
  if (packet[0] >> 4 !== 4 || headerLength < 20 || packet[9] !== 6) return undefined;
  if (totalLength > packet.length || totalLength < headerLength + 20) return undefined;
  const tcp = packet.subarray(headerLength, totalLength);
  const dataOffset = (tcp[12] >> 4) * 4;
  if (dataOffset < 20 || dataOffset > tcp.length) return undefined;
  const view = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
  return {
    dstMac: macString(frame.subarray(0, 6)),
    srcMac: macString(frame.subarray(6, 12)),
    srcIp: ipString(packet.subarray(12, 16)),
    dstIp: ipString(packet.subarray(16, 20)),
    srcPort: view.getUint16(0),
    dstPort: view.getUint16(2),
    seq: view.getUint32(4),
    ack: view.getUint32(8),
    flags: tcp[13],
    window: view.getUint16(14),
    options: tcp.slice(20, dataOffset),
    payload: tcp.slice(dataOffset),
    ipTotalLength: totalLength,
  };
}
