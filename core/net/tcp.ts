import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import { IP_PROTOCOL_TCP } from "./ipv4.ts";
import { readUint16, requireUint, writeUint16 } from "./bytes.ts";
import { finishChecksum, onesComplementSum, pseudoHeaderSum } from "./checksum.ts";
import type { UdpAddresses as IpAddresses } from "./udp.ts";

// TCP segments over IPv4 (RFC 9293), as far as a scanner needs them: the header with its flags and
// options as bytes, and the checksum over the pseudo-header. No connection state lives here.

export const TCP_MIN_HEADER_LENGTH = 20;
const TCP_MAX_HEADER_LENGTH = 60;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export interface TcpSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
  readonly acknowledgment: number;
  /** The low 8 flag bits: TCP_SYN | TCP_ACK … (CWR and ECE included as 0x80 and 0x40). */
  readonly flags: number;
  readonly window: number;
  readonly checksum: number;
  readonly checksumValid: boolean;
  readonly urgentPointer: number;
  /** The option bytes between the fixed header and the data (view). */
  readonly options: Uint8Array;
  readonly payload: Uint8Array;
}

/** Decodes a TCP segment (the whole IPv4 payload: the checksum covers all of it). */
export function decodeTcp(bytes: Uint8Array, ip: IpAddresses): Decoded<TcpSegment> {
  if (bytes.length < TCP_MIN_HEADER_LENGTH) {
    return decodeFailure("tcp", `${bytes.length} bytes captured, a header needs ${TCP_MIN_HEADER_LENGTH}`);
  }
  const headerLength = (bytes[12] >>> 4) * 4;
  if (headerLength < TCP_MIN_HEADER_LENGTH) {
    return decodeFailure("tcp", `data offset ${headerLength / 4} words is shorter than the fixed header`);
  }
  if (headerLength > bytes.length) {
    return decodeFailure("tcp", `header of ${headerLength} bytes exceeds the ${bytes.length} captured`);
  }
  const checksumValid = onesComplementSum(
    bytes,
    0,
    bytes.length,
    pseudoHeaderSum(ip.source, ip.destination, IP_PROTOCOL_TCP, bytes.length),
  ) === 0xffff;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decoded({
    sourcePort: readUint16(bytes, 0),
    destinationPort: readUint16(bytes, 2),
    sequence: view.getUint32(4),
    acknowledgment: view.getUint32(8),
    flags: bytes[13],
    window: readUint16(bytes, 14),
    checksum: readUint16(bytes, 16),
    checksumValid,
    urgentPointer: readUint16(bytes, 18),
    options: bytes.subarray(TCP_MIN_HEADER_LENGTH, headerLength),
    payload: bytes.subarray(headerLength),
  });
}

export interface TcpSegmentInit {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
  readonly acknowledgment?: number;
  readonly flags: number;
  readonly window: number;
  /** Option bytes, padded here to a multiple of 4 with end-of-list zeros. */
  readonly options?: Uint8Array;
  readonly payload?: Uint8Array;
}

/** Encodes a segment with its checksum computed for the given addresses. */
export function encodeTcp(segment: TcpSegmentInit, ip: IpAddresses): Uint8Array<ArrayBuffer> {
  requireUint("TCP source port", segment.sourcePort, 0xffff);
  requireUint("TCP destination port", segment.destinationPort, 0xffff);
  requireUint("TCP sequence number", segment.sequence, 0xffff_ffff);
  requireUint("TCP acknowledgment number", segment.acknowledgment ?? 0, 0xffff_ffff);
  requireUint("TCP flags", segment.flags, 0xff);
  requireUint("TCP window", segment.window, 0xffff);
  const optionsLength = Math.ceil((segment.options?.length ?? 0) / 4) * 4;
  const headerLength = TCP_MIN_HEADER_LENGTH + optionsLength;
  if (headerLength > TCP_MAX_HEADER_LENGTH) {
    throw new RangeError(`TCP options of ${segment.options?.length} bytes exceed the 40 a header holds`);
  }
  const payload = segment.payload ?? new Uint8Array(0);
  const bytes = new Uint8Array(headerLength + payload.length);
  const view = new DataView(bytes.buffer);
  writeUint16(bytes, 0, segment.sourcePort);
  writeUint16(bytes, 2, segment.destinationPort);
  view.setUint32(4, segment.sequence);
  view.setUint32(8, segment.acknowledgment ?? 0);
  bytes[12] = (headerLength / 4) << 4;
  bytes[13] = segment.flags;
  writeUint16(bytes, 14, segment.window);
  if (segment.options) bytes.set(segment.options, TCP_MIN_HEADER_LENGTH);
  bytes.set(payload, headerLength);
  const sum = onesComplementSum(
    bytes,
    0,
    bytes.length,
    pseudoHeaderSum(ip.source, ip.destination, IP_PROTOCOL_TCP, bytes.length),
  );
  writeUint16(bytes, 16, finishChecksum(sum));
  return bytes;
}
