import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import type { Ipv4Address } from "./ipv4addr.ts";
import { IP_PROTOCOL_UDP } from "./ipv4.ts";
import { readUint16, requireRoom, requireUint, writeUint16 } from "./bytes.ts";
import { finishChecksum, onesComplementSum, pseudoHeaderSum } from "./checksum.ts";

// UDP over IPv4 (RFC 768). The checksum covers a pseudo-header built from the IP addresses, so both
// directions take them; an Ipv4Packet can be passed as is.

export const UDP_HEADER_LENGTH = 8;
const MAX_UDP_LENGTH = 0xffff;

export interface UdpAddresses {
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
}

export interface UdpDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  /** Header plus payload, from the header. */
  readonly length: number;
  /** As received; 0 means the sender computed none. */
  readonly checksum: number;
  /** False when the checksum field is 0: IPv4 lets senders skip the checksum. */
  readonly hasChecksum: boolean;
  /** True when the checksum matches, or when there is none to contradict the data. */
  readonly checksumValid: boolean;
  /** View of exactly length - 8 bytes. */
  readonly payload: Uint8Array;
}

/**
 * Decodes a UDP datagram (an IPv4 payload). The UDP length must fit in the bytes given; bytes past it are
 * ignored. Do not pass the payload of a non-first IPv4 fragment: it has no UDP header.
 */
export function decodeUdp(bytes: Uint8Array, ip: UdpAddresses): Decoded<UdpDatagram> {
  if (bytes.length < UDP_HEADER_LENGTH) {
    return decodeFailure("udp", `${bytes.length} bytes captured, a header needs ${UDP_HEADER_LENGTH}`);
  }
  const length = readUint16(bytes, 4);
  if (length < UDP_HEADER_LENGTH) {
    return decodeFailure("udp", `length ${length} is shorter than the 8-byte header`);
  }
  if (length > bytes.length) {
    return decodeFailure("udp", `length ${length} exceeds the ${bytes.length} bytes captured`);
  }
  const checksum = readUint16(bytes, 6);
  const hasChecksum = checksum !== 0;
  const checksumValid = !hasChecksum ||
    onesComplementSum(
        bytes,
        0,
        length,
        pseudoHeaderSum(ip.source, ip.destination, IP_PROTOCOL_UDP, length),
      ) ===
      0xffff;
  return decoded({
    sourcePort: readUint16(bytes, 0),
    destinationPort: readUint16(bytes, 2),
    length,
    checksum,
    hasChecksum,
    checksumValid,
    payload: bytes.subarray(UDP_HEADER_LENGTH, length),
  });
}

export interface UdpDatagramInit {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

export interface EncodeUdpOptions {
  /** Leave the checksum field 0 (allowed on IPv4; saves a pass over the payload). Default: compute it. */
  readonly omitChecksum?: boolean;
}

/** Writes header and payload, computing length and checksum. Returns bytes written. */
export function writeUdp(
  datagram: UdpDatagramInit,
  ip: UdpAddresses,
  target: Uint8Array,
  offset: number,
  options: EncodeUdpOptions = {},
): number {
  requireUint("UDP source port", datagram.sourcePort, 0xffff);
  requireUint("UDP destination port", datagram.destinationPort, 0xffff);
  const length = UDP_HEADER_LENGTH + datagram.payload.length;
  requireUint("UDP length", length, MAX_UDP_LENGTH);
  requireRoom("UDP datagram", target, offset, length);
  writeUint16(target, offset, datagram.sourcePort);
  writeUint16(target, offset + 2, datagram.destinationPort);
  writeUint16(target, offset + 4, length);
  writeUint16(target, offset + 6, 0);
  target.set(datagram.payload, offset + UDP_HEADER_LENGTH);
  if (!options.omitChecksum) {
    const sum = onesComplementSum(
      target,
      offset,
      offset + length,
      pseudoHeaderSum(ip.source, ip.destination, IP_PROTOCOL_UDP, length),
    );
    // A computed 0 is sent as 0xffff (the same in one's complement), since 0 on the wire means "none".
    writeUint16(target, offset + 6, finishChecksum(sum) || 0xffff);
  }
  return length;
}

export function encodeUdp(
  datagram: UdpDatagramInit,
  ip: UdpAddresses,
  options: EncodeUdpOptions = {},
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(UDP_HEADER_LENGTH + datagram.payload.length);
  writeUdp(datagram, ip, bytes, 0, options);
  return bytes;
}
