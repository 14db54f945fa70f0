import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import { type Ipv4Address, readIpv4, requireIpv4, writeIpv4 } from "./ipv4addr.ts";
import { readUint16, requireRoom, requireUint, writeUint16 } from "./bytes.ts";
import { internetChecksum, onesComplementSum } from "./checksum.ts";

// IPv4 (RFC 791). Addresses are uint32 numbers (see ipv4addr.ts).

export const IP_PROTOCOL_ICMP = 1;
export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;

export const IPV4_MIN_HEADER_LENGTH = 20;
export const IPV4_MAX_HEADER_LENGTH = 60;
export const IPV4_MAX_TOTAL_LENGTH = 0xffff;

const FLAG_RESERVED = 0x8000;
const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;

export interface Ipv4Header {
  /** Differentiated services code point, 0-63 (upper 6 bits of the former TOS byte). */
  readonly dscp: number;
  /** Explicit congestion notification, 0-3. */
  readonly ecn: number;
  /** IHL * 4: 20 to 60 bytes. */
  readonly headerLength: number;
  /** Header plus payload, from the header (the payload ends here, not at the end of the captured bytes). */
  readonly totalLength: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** In bytes (the wire field counts 8-byte units). */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  /** As received. */
  readonly checksum: number;
  readonly checksumValid: boolean;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** Raw options (view), including their padding; empty when IHL is 5. See decodeIpv4Options. */
  readonly options: Uint8Array;
}

export interface Ipv4Packet extends Ipv4Header {
  /** View of exactly totalLength - headerLength bytes: link-layer padding is excluded. */
  readonly payload: Uint8Array;
}

/** Returns why the header is malformed, or undefined. Only header bytes are required to be present. */
function headerProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length < IPV4_MIN_HEADER_LENGTH) {
    return `${bytes.length} bytes captured, a header needs at least ${IPV4_MIN_HEADER_LENGTH}`;
  }
  const version = bytes[0] >>> 4;
  if (version !== 4) return `version ${version} is not 4`;
  const ihl = bytes[0] & 0x0f;
  const headerLength = ihl * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) return `IHL ${ihl} is below the minimum of 5 (20 bytes)`;
  if (headerLength > bytes.length) {
    return `header length ${headerLength} (IHL ${ihl}) exceeds the ${bytes.length} bytes captured`;
  }
  const totalLength = readUint16(bytes, 2);
  if (totalLength < headerLength) {
    return `total length ${totalLength} is shorter than the ${headerLength}-byte header`;
  }
  if ((readUint16(bytes, 6) & FLAG_RESERVED) !== 0) return "reserved flag bit is set";
  return undefined;
}

function readPacket(bytes: Uint8Array, payloadEnd: number): Ipv4Packet {
  const headerLength = (bytes[0] & 0x0f) * 4;
  const flagsAndOffset = readUint16(bytes, 6);
  return {
    dscp: bytes[1] >>> 2,
    ecn: bytes[1] & 0x03,
    headerLength,
    totalLength: readUint16(bytes, 2),
    identification: readUint16(bytes, 4),
    dontFragment: (flagsAndOffset & FLAG_DONT_FRAGMENT) !== 0,
    moreFragments: (flagsAndOffset & FLAG_MORE_FRAGMENTS) !== 0,
    fragmentOffset: (flagsAndOffset & 0x1fff) * 8,
    ttl: bytes[8],
    protocol: bytes[9],
    checksum: readUint16(bytes, 10),
    // Summing a header that includes its own correct checksum gives 0xffff.
    checksumValid: onesComplementSum(bytes, 0, headerLength) === 0xffff,
    source: readIpv4(bytes, 12),
    destination: readIpv4(bytes, 16),
    options: bytes.subarray(IPV4_MIN_HEADER_LENGTH, headerLength),
    payload: bytes.subarray(headerLength, payloadEnd),
  };
}

/** Decodes a whole IPv4 packet; the total length must be present, and bytes beyond it are ignored. */
export function decodeIpv4(bytes: Uint8Array): Decoded<Ipv4Packet> {
  const problem = headerProblem(bytes);
  if (problem !== undefined) return decodeFailure("ipv4", problem);
  const totalLength = readUint16(bytes, 2);
  if (totalLength > bytes.length) {
    return decodeFailure("ipv4", `total length ${totalLength} exceeds the ${bytes.length} bytes captured`);
  }
  return decoded(readPacket(bytes, totalLength));
}

/**
 * Like decodeIpv4, for packets known to be cut short: the original datagram quoted in an ICMP error, or a
 * snapped capture. Only the header must be present; `payload` is the part of the payload that is.
 */
export function decodeTruncatedIpv4(bytes: Uint8Array): Decoded<Ipv4Packet> {
  const problem = headerProblem(bytes);
  if (problem !== undefined) return decodeFailure("ipv4", problem);
  return decoded(readPacket(bytes, Math.min(readUint16(bytes, 2), bytes.length)));
}

/** True for every fragment of a fragmented packet, the first included. */
export function isFragment(header: Pick<Ipv4Header, "moreFragments" | "fragmentOffset">): boolean {
  return header.moreFragments || header.fragmentOffset !== 0;
}

export const IPV4_OPTION_END = 0;
export const IPV4_OPTION_NOP = 1;
export const IPV4_OPTION_RECORD_ROUTE = 7;

export interface Ipv4Option {
  /** The whole type octet (copied flag, class and number). */
  readonly type: number;
  /** The option's bytes after type and length (view). */
  readonly data: Uint8Array;
}

/**
 * Splits raw options into type-length-value entries. NOPs are skipped and End of Options List stops the
 * walk (what follows is padding), so only options that carry meaning are returned.
 */
export function decodeIpv4Options(options: Uint8Array): Decoded<Ipv4Option[]> {
  const entries: Ipv4Option[] = [];
  let offset = 0;
  while (offset < options.length) {
    const type = options[offset];
    if (type === IPV4_OPTION_END) break;
    if (type === IPV4_OPTION_NOP) {
      offset += 1;
      continue;
    }
    if (offset + 1 >= options.length) {
      return decodeFailure("ipv4 options", `option ${type} at offset ${offset} has no length byte`);
    }
    const length = options[offset + 1];
    if (length < 2) {
      return decodeFailure("ipv4 options", `option ${type} at offset ${offset} has length ${length}`);
    }
    if (offset + length > options.length) {
      return decodeFailure(
        "ipv4 options",
        `option ${type} at offset ${offset} has length ${length}, only ${
          options.length - offset
        } bytes remain`,
      );
    }
    entries.push({ type, data: options.subarray(offset + 2, offset + length) });
    offset += length;
  }
  return decoded(entries);
}

/** What an encoder needs; omitted fields take the usual defaults (TTL 64, no fragmentation, no options). */
export interface Ipv4HeaderInit {
  readonly dscp?: number;
  readonly ecn?: number;
  readonly identification?: number;
  readonly dontFragment?: boolean;
  readonly moreFragments?: boolean;
  /** In bytes; a multiple of 8. */
  readonly fragmentOffset?: number;
  readonly ttl?: number;
  readonly protocol: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** Raw options, already padded to a multiple of 4 bytes, at most 40. */
  readonly options?: Uint8Array;
}

export function ipv4HeaderLength(header: Pick<Ipv4HeaderInit, "options">): number {
  return IPV4_MIN_HEADER_LENGTH + (header.options?.length ?? 0);
}

/**
 * Writes the header for a payload of `payloadLength` bytes, computing total length and checksum; the
 * payload goes right after. Returns bytes written.
 */
export function writeIpv4Header(
  header: Ipv4HeaderInit,
  payloadLength: number,
  target: Uint8Array,
  offset: number,
): number {
  const options = header.options;
  const optionsLength = options?.length ?? 0;
  if (optionsLength % 4 !== 0 || optionsLength > IPV4_MAX_HEADER_LENGTH - IPV4_MIN_HEADER_LENGTH) {
    throw new RangeError(
      `IPv4 options must be padded to a multiple of 4 bytes, at most 40; got ${optionsLength}`,
    );
  }
  const headerLength = IPV4_MIN_HEADER_LENGTH + optionsLength;
  const totalLength = headerLength + payloadLength;
  requireUint("IPv4 total length", totalLength, IPV4_MAX_TOTAL_LENGTH);
  const dscp = header.dscp ?? 0;
  const ecn = header.ecn ?? 0;
  const identification = header.identification ?? 0;
  const fragmentOffset = header.fragmentOffset ?? 0;
  const ttl = header.ttl ?? 64;
  requireUint("IPv4 DSCP", dscp, 63);
  requireUint("IPv4 ECN", ecn, 3);
  requireUint("IPv4 identification", identification, 0xffff);
  requireUint("IPv4 fragment offset", fragmentOffset, 0x1fff * 8);
  if (fragmentOffset % 8 !== 0) {
    throw new RangeError(`IPv4 fragment offset must be a multiple of 8, got ${fragmentOffset}`);
  }
  requireUint("IPv4 TTL", ttl, 255);
  requireUint("IPv4 protocol", header.protocol, 255);
  requireIpv4(header.source);
  requireIpv4(header.destination);
  requireRoom("IPv4 header", target, offset, headerLength);

  target[offset] = 0x40 | (headerLength / 4);
  target[offset + 1] = (dscp << 2) | ecn;
  writeUint16(target, offset + 2, totalLength);
  writeUint16(target, offset + 4, identification);
  const flags = (header.dontFragment ? FLAG_DONT_FRAGMENT : 0) |
    (header.moreFragments ? FLAG_MORE_FRAGMENTS : 0);
  writeUint16(target, offset + 6, flags | (fragmentOffset / 8));
  target[offset + 8] = ttl;
  target[offset + 9] = header.protocol;
  writeUint16(target, offset + 10, 0);
  writeIpv4(header.source, target, offset + 12);
  writeIpv4(header.destination, target, offset + 16);
  if (options !== undefined) target.set(options, offset + IPV4_MIN_HEADER_LENGTH);
  writeUint16(target, offset + 10, internetChecksum(target, offset, offset + headerLength));
  return headerLength;
}

export function encodeIpv4(
  packet: Ipv4HeaderInit & { readonly payload: Uint8Array },
): Uint8Array<ArrayBuffer> {
  const headerLength = ipv4HeaderLength(packet);
  const bytes = new Uint8Array(headerLength + packet.payload.length);
  writeIpv4Header(packet, packet.payload.length, bytes, 0);
  bytes.set(packet.payload, headerLength);
  return bytes;
}
