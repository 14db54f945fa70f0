import { formatIpv4, parseIpv4, readIpv4, writeIpv4 } from "../net/ipv4addr.ts";
import { AF_INET, AF_PACKET } from "./constants.ts";

// Byte layouts of the socket address structs. Host-order fields are written little-endian: every
// platform CTPF targets (x86_64, aarch64 Linux) is little-endian; network-order fields are big-endian.

export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_LL_SIZE = 20;

// Addresses are text at this layer; parsing and formatting are core/net's parseIpv4/formatIpv4 (byte
// forms: ipv4ToBytes/ipv4FromBytes there too).

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid UDP port: ${port}`);
}

/** struct sockaddr_in for `address:port`. */
export function encodeSockaddrIn(address: string, port: number): Uint8Array<ArrayBuffer> {
  checkPort(port);
  const buffer = new Uint8Array(SOCKADDR_IN_SIZE);
  const view = new DataView(buffer.buffer);
  view.setUint16(0, AF_INET, true);
  view.setUint16(2, port, false);
  writeIpv4(parseIpv4(address), buffer, 4);
  return buffer;
}

export interface InetAddress {
  address: string;
  port: number;
}

/** Reads a struct sockaddr_in the kernel filled in; `length` is the socklen_t it reported. */
export function decodeSockaddrIn(buffer: Uint8Array, length: number): InetAddress {
  if (length < 8 || buffer.length < 8) throw new RangeError(`sockaddr_in too short: ${length} bytes`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const family = view.getUint16(0, true);
  if (family !== AF_INET) throw new RangeError(`expected AF_INET sockaddr, got family ${family}`);
  return { address: formatIpv4(readIpv4(buffer, 4)), port: view.getUint16(2, false) };
}

/** struct sockaddr_ll for binding an AF_PACKET socket to one interface and one ethertype. */
export function encodeSockaddrLl(ifindex: number, ethertype: number): Uint8Array<ArrayBuffer> {
  const buffer = new Uint8Array(SOCKADDR_LL_SIZE);
  const view = new DataView(buffer.buffer);
  view.setUint16(0, AF_PACKET, true);
  view.setUint16(2, ethertype, false);
  view.setInt32(4, ifindex, true);
  return buffer;
}

export interface LinkAddress {
  ethertype: number;
  ifindex: number;
  /** sll_pkttype: PACKET_HOST, PACKET_BROADCAST, … PACKET_OUTGOING. */
  packetType: number;
}

export function decodeSockaddrLl(buffer: Uint8Array, length: number): LinkAddress {
  if (length < 12 || buffer.length < 12) throw new RangeError(`sockaddr_ll too short: ${length} bytes`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    ethertype: view.getUint16(2, false),
    ifindex: view.getInt32(4, true),
    packetType: view.getUint8(10),
  };
}
