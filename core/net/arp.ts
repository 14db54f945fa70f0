import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import { type MacAddress, readMac, requireMac, writeMac } from "./mac.ts";
import { type Ipv4Address, readIpv4, requireIpv4, writeIpv4 } from "./ipv4addr.ts";
import { readUint16, requireRoom, writeUint16 } from "./bytes.ts";

// ARP (RFC 826) for Ethernet hardware and IPv4 protocol addresses only: the one combination CTPF speaks.

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
export const ARP_PACKET_LENGTH = 28;

const HARDWARE_ETHERNET = 1;
const PROTOCOL_IPV4 = 0x0800;

export interface ArpPacket {
  /** ARP_REQUEST or ARP_REPLY. */
  readonly operation: number;
  readonly senderMac: MacAddress;
  readonly senderIp: Ipv4Address;
  /** In requests, 00:00:00:00:00:00 (Linux) or ff:ff:ff:ff:ff:ff (arping): ignored by receivers. */
  readonly targetMac: MacAddress;
  readonly targetIp: Ipv4Address;
}

/** Decodes an ARP packet (an Ethernet payload); bytes past the 28 that ARP uses are link padding. */
export function decodeArp(bytes: Uint8Array): Decoded<ArpPacket> {
  if (bytes.length < ARP_PACKET_LENGTH) {
    return decodeFailure("arp", `${bytes.length} bytes captured, a packet needs ${ARP_PACKET_LENGTH}`);
  }
  const hardwareType = readUint16(bytes, 0);
  if (hardwareType !== HARDWARE_ETHERNET) {
    return decodeFailure("arp", `hardware type ${hardwareType} is not Ethernet (1)`);
  }
  const protocolType = readUint16(bytes, 2);
  if (protocolType !== PROTOCOL_IPV4) {
    return decodeFailure("arp", `protocol type 0x${protocolType.toString(16)} is not IPv4 (0x0800)`);
  }
  if (bytes[4] !== 6 || bytes[5] !== 4) {
    return decodeFailure("arp", `address lengths ${bytes[4]}/${bytes[5]} are not 6/4 (Ethernet/IPv4)`);
  }
  const operation = readUint16(bytes, 6);
  if (operation !== ARP_REQUEST && operation !== ARP_REPLY) {
    return decodeFailure("arp", `operation ${operation} is neither request (1) nor reply (2)`);
  }
  return decoded({
    operation,
    senderMac: readMac(bytes, 8),
    senderIp: readIpv4(bytes, 14),
    targetMac: readMac(bytes, 18),
    targetIp: readIpv4(bytes, 24),
  });
}

/** Writes the 28-byte packet; returns bytes written. */
export function writeArp(packet: ArpPacket, target: Uint8Array, offset: number): number {
  if (packet.operation !== ARP_REQUEST && packet.operation !== ARP_REPLY) {
    throw new RangeError(`ARP operation must be 1 (request) or 2 (reply), got ${packet.operation}`);
  }
  requireMac(packet.senderMac);
  requireMac(packet.targetMac);
  requireIpv4(packet.senderIp);
  requireIpv4(packet.targetIp);
  requireRoom("ARP packet", target, offset, ARP_PACKET_LENGTH);
  writeUint16(target, offset, HARDWARE_ETHERNET);
  writeUint16(target, offset + 2, PROTOCOL_IPV4);
  target[offset + 4] = 6;
  target[offset + 5] = 4;
  writeUint16(target, offset + 6, packet.operation);
  writeMac(packet.senderMac, target, offset + 8);
  writeIpv4(packet.senderIp, target, offset + 14);
  writeMac(packet.targetMac, target, offset + 18);
  writeIpv4(packet.targetIp, target, offset + 24);
  return ARP_PACKET_LENGTH;
}

export function encodeArp(packet: ArpPacket): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(ARP_PACKET_LENGTH);
  writeArp(packet, bytes, 0);
  return bytes;
}
