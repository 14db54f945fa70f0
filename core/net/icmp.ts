import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import { decodeTruncatedIpv4, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP, type Ipv4Packet } from "./ipv4.ts";
import { readUint16, readUint32, requireRoom, requireUint, writeUint16, writeUint32 } from "./bytes.ts";
import { internetChecksum, onesComplementSum } from "./checksum.ts";

// ICMP for IPv4 (RFC 792). Echo, destination unreachable and time exceeded get their own shapes; every
// other type is kept whole so it still decodes, re-encodes and has its checksum checked.

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DESTINATION_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;

export const UNREACHABLE_NET = 0;
export const UNREACHABLE_HOST = 1;
export const UNREACHABLE_PROTOCOL = 2;
export const UNREACHABLE_PORT = 3;
/** "Fragmentation needed and DF set": carries the next-hop MTU (RFC 1191). */
export const UNREACHABLE_FRAGMENTATION_NEEDED = 4;
export const UNREACHABLE_ADMINISTRATIVELY_PROHIBITED = 13;

export const TIME_EXCEEDED_IN_TRANSIT = 0;
export const TIME_EXCEEDED_REASSEMBLY = 1;

export const ICMP_HEADER_LENGTH = 8;

export interface IcmpEcho {
  readonly kind: "echo-request" | "echo-reply";
  readonly identifier: number;
  readonly sequence: number;
  /** View of the echoed data. */
  readonly data: Uint8Array;
}

export interface IcmpDestinationUnreachable {
  readonly kind: "destination-unreachable";
  /** Only meaningful with UNREACHABLE_FRAGMENTATION_NEEDED; 0 otherwise. */
  readonly nextHopMtu: number;
  /** View of the start of the datagram that failed: its IP header and at least 8 bytes. See decodeIcmpQuote. */
  readonly original: Uint8Array;
}

export interface IcmpTimeExceeded {
  readonly kind: "time-exceeded";
  /** View of the start of the datagram that expired. See decodeIcmpQuote. */
  readonly original: Uint8Array;
}

export interface IcmpOther {
  readonly kind: "other";
  /** Bytes 4-7, whose meaning depends on the type. */
  readonly rest: number;
  /** View of everything after the 8-byte header. */
  readonly body: Uint8Array;
}

export interface IcmpHeader {
  readonly type: number;
  readonly code: number;
  /** As received. */
  readonly checksum: number;
  readonly checksumValid: boolean;
}

export type IcmpMessage = IcmpHeader & (IcmpEcho | IcmpDestinationUnreachable | IcmpTimeExceeded | IcmpOther);

/** Decodes an ICMP message: exactly the IPv4 payload, since the checksum covers every byte of it. */
export function decodeIcmp(bytes: Uint8Array): Decoded<IcmpMessage> {
  if (bytes.length < ICMP_HEADER_LENGTH) {
    return decodeFailure("icmp", `${bytes.length} bytes captured, a header needs ${ICMP_HEADER_LENGTH}`);
  }
  const type = bytes[0];
  const code = bytes[1];
  const checksum = readUint16(bytes, 2);
  const checksumValid = onesComplementSum(bytes) === 0xffff;
  switch (type) {
    case ICMP_ECHO_REQUEST:
    case ICMP_ECHO_REPLY:
      return decoded({
        type,
        code,
        checksum,
        checksumValid,
        kind: type === ICMP_ECHO_REQUEST ? "echo-request" : "echo-reply",
        identifier: readUint16(bytes, 4),
        sequence: readUint16(bytes, 6),
        data: bytes.subarray(ICMP_HEADER_LENGTH),
      });
    case ICMP_DESTINATION_UNREACHABLE:
      return decoded({
        type,
        code,
        checksum,
        checksumValid,
        kind: "destination-unreachable",
        nextHopMtu: code === UNREACHABLE_FRAGMENTATION_NEEDED ? readUint16(bytes, 6) : 0,
        original: bytes.subarray(ICMP_HEADER_LENGTH),
      });
    case ICMP_TIME_EXCEEDED:
      return decoded({
        type,
        code,
        checksum,
        checksumValid,
        kind: "time-exceeded",
        original: bytes.subarray(ICMP_HEADER_LENGTH),
      });
    default:
      return decoded({
        type,
        code,
        checksum,
        checksumValid,
        kind: "other",
        rest: readUint32(bytes, 4),
        body: bytes.subarray(ICMP_HEADER_LENGTH),
      });
  }
}

/** The failed datagram an ICMP error quotes, e.g. which UDP port a port-unreachable is about. */
export interface IcmpQuote {
  /** The quoted IP header; `payload` is the part of the original payload that was quoted. */
  readonly ip: Ipv4Packet;
  /** For quoted UDP and TCP: the ports of the original datagram (its first 4 bytes). */
  readonly sourcePort?: number;
  readonly destinationPort?: number;
}

/** Decodes the `original` of a destination-unreachable or time-exceeded message. */
export function decodeIcmpQuote(original: Uint8Array): Decoded<IcmpQuote> {
  const ip = decodeTruncatedIpv4(original);
  if (!ip.ok) return decodeFailure("icmp quote", ip.error.message);
  const quoted = ip.value.payload;
  const hasPorts = ip.value.protocol === IP_PROTOCOL_UDP || ip.value.protocol === IP_PROTOCOL_TCP;
  if (!hasPorts || ip.value.fragmentOffset !== 0) return decoded({ ip: ip.value });
  if (quoted.length < 4) {
    return decodeFailure(
      "icmp quote",
      `${quoted.length} bytes of the original transport header, ports need 4`,
    );
  }
  return decoded({ ip: ip.value, sourcePort: readUint16(quoted, 0), destinationPort: readUint16(quoted, 2) });
}

/** What an encoder needs: the decoded shapes without the derived checksum fields. */
export type IcmpMessageInit =
  | { readonly kind: "echo-request" | "echo-reply"; readonly code?: number } & Omit<IcmpEcho, "kind">
  | {
    readonly kind: "destination-unreachable";
    readonly code: number;
    readonly nextHopMtu?: number;
    readonly original: Uint8Array;
  }
  | { readonly kind: "time-exceeded"; readonly code: number; readonly original: Uint8Array }
  | { readonly kind: "other"; readonly type: number; readonly code: number } & Omit<IcmpOther, "kind">;

function bodyOf(message: IcmpMessageInit): Uint8Array {
  switch (message.kind) {
    case "echo-request":
    case "echo-reply":
      return message.data;
    case "destination-unreachable":
    case "time-exceeded":
      return message.original;
    case "other":
      return message.body;
  }
}

export function icmpLength(message: IcmpMessageInit): number {
  return ICMP_HEADER_LENGTH + bodyOf(message).length;
}

/** Writes the message and its checksum. Returns bytes written. */
export function writeIcmp(message: IcmpMessageInit, target: Uint8Array, offset: number): number {
  const body = bodyOf(message);
  const length = ICMP_HEADER_LENGTH + body.length;
  requireUint("ICMP message length", length, 0xffff);
  const code = message.code ?? 0;
  requireUint("ICMP code", code, 255);
  requireRoom("ICMP message", target, offset, length);
  writeUint32(target, offset + 4, 0);
  switch (message.kind) {
    case "echo-request":
    case "echo-reply":
      requireUint("ICMP echo identifier", message.identifier, 0xffff);
      requireUint("ICMP echo sequence", message.sequence, 0xffff);
      target[offset] = message.kind === "echo-request" ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY;
      writeUint16(target, offset + 4, message.identifier);
      writeUint16(target, offset + 6, message.sequence);
      break;
    case "destination-unreachable":
      requireUint("ICMP next-hop MTU", message.nextHopMtu ?? 0, 0xffff);
      target[offset] = ICMP_DESTINATION_UNREACHABLE;
      writeUint16(target, offset + 6, message.nextHopMtu ?? 0);
      break;
    case "time-exceeded":
      target[offset] = ICMP_TIME_EXCEEDED;
      break;
    case "other":
      requireUint("ICMP type", message.type, 255);
      requireUint("ICMP rest of header", message.rest, 0xffff_ffff);
      target[offset] = message.type;
      writeUint32(target, offset + 4, message.rest);
      break;
  }
  target[offset + 1] = code;
  writeUint16(target, offset + 2, 0);
  target.set(body, offset + ICMP_HEADER_LENGTH);
  writeUint16(target, offset + 2, internetChecksum(target, offset, offset + length));
  return length;
}

export function encodeIcmp(message: IcmpMessageInit): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(icmpLength(message));
  writeIcmp(message, bytes, 0);
  return bytes;
}
