import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import { type MacAddress, readMac, requireMac, writeMac } from "./mac.ts";
import { readUint16, requireRoom, requireUint, writeUint16 } from "./bytes.ts";

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q customer tag (C-tag). */
export const TPID_VLAN = 0x8100;
/** 802.1ad service tag (S-tag): the outer tag of Q-in-Q. */
export const TPID_QINQ = 0x88a8;

/** Below this an Ethernet type/length field is an 802.3 length (LLC frames), not an EtherType. */
const MIN_ETHERTYPE = 0x0600;
const HEADER_LENGTH = 14;
const TAG_LENGTH = 4;
/** Frames shorter than this (without FCS) are padded on the wire; the padding ends up in `payload`. */
export const MIN_FRAME_LENGTH = 60;

export interface VlanTag {
  /** TPID_VLAN or TPID_QINQ. */
  readonly tpid: number;
  /** Priority code point, 0-7. */
  readonly priority: number;
  /** Drop eligible indicator. */
  readonly dropEligible: boolean;
  /** VLAN identifier, 0-4095 (0: priority tag only). */
  readonly vlanId: number;
}

export interface EthernetFrame {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  /** Outermost first; empty for untagged frames. */
  readonly vlanTags: readonly VlanTag[];
  /** The EtherType after the last tag. */
  readonly etherType: number;
  /** View into the decoded bytes, including any padding up to the minimum frame size. */
  readonly payload: Uint8Array;
}

const NO_TAGS: readonly VlanTag[] = Object.freeze([]);

function isTpid(etherType: number): boolean {
  return etherType === TPID_VLAN || etherType === TPID_QINQ;
}

/** Decodes an Ethernet II frame (without FCS), following any chain of 802.1Q / 802.1ad tags. */
export function decodeEthernet(bytes: Uint8Array): Decoded<EthernetFrame> {
  if (bytes.length < HEADER_LENGTH) {
    return decodeFailure("ethernet", `${bytes.length} bytes captured, a header needs ${HEADER_LENGTH}`);
  }
  let etherType = readUint16(bytes, 12);
  let offset = HEADER_LENGTH;
  let vlanTags = NO_TAGS;
  if (isTpid(etherType)) {
    const tags: VlanTag[] = [];
    while (isTpid(etherType)) {
      // An S-tag belongs outside every C-tag (802.1ad); one further in means the chain is garbled.
      if (etherType === TPID_QINQ && tags.length > 0 && tags[tags.length - 1].tpid === TPID_VLAN) {
        return decodeFailure("vlan", `802.1ad tag (0x88a8) inside an 802.1Q tag at offset ${offset - 2}`);
      }
      if (offset + TAG_LENGTH > bytes.length) {
        return decodeFailure(
          "vlan",
          `tag ${tags.length + 1} needs bytes ${offset}-${offset + TAG_LENGTH - 1}, ${bytes.length} captured`,
        );
      }
      const control = readUint16(bytes, offset);
      tags.push({
        tpid: etherType,
        priority: control >>> 13,
        dropEligible: (control & 0x1000) !== 0,
        vlanId: control & 0x0fff,
      });
      etherType = readUint16(bytes, offset + 2);
      offset += TAG_LENGTH;
    }
    vlanTags = tags;
  }
  if (etherType < MIN_ETHERTYPE) {
    return decodeFailure(
      "ethernet",
      `type field 0x${etherType.toString(16).padStart(4, "0")} is an 802.3 length, not an EtherType ` +
        `(only Ethernet II is supported)`,
    );
  }
  return decoded({
    destination: readMac(bytes, 0),
    source: readMac(bytes, 6),
    vlanTags,
    etherType,
    payload: bytes.subarray(offset),
  });
}

export type EthernetHeader = Omit<EthernetFrame, "payload">;

export function ethernetHeaderLength(vlanTagCount: number): number {
  return HEADER_LENGTH + TAG_LENGTH * vlanTagCount;
}

/** Writes destination, source, tags and EtherType; the payload goes right after. Returns bytes written. */
export function writeEthernetHeader(header: EthernetHeader, target: Uint8Array, offset: number): number {
  requireMac(header.destination);
  requireMac(header.source);
  requireUint("EtherType", header.etherType, 0xffff);
  if (header.etherType < MIN_ETHERTYPE) {
    throw new RangeError(`EtherType 0x${header.etherType.toString(16)} is below 0x0600 (an 802.3 length)`);
  }
  const length = ethernetHeaderLength(header.vlanTags.length);
  requireRoom("Ethernet header", target, offset, length);
  writeMac(header.destination, target, offset);
  writeMac(header.source, target, offset + 6);
  let position = offset + 12;
  for (const tag of header.vlanTags) {
    if (!isTpid(tag.tpid)) {
      throw new RangeError(`VLAN TPID must be 0x8100 or 0x88a8, got 0x${tag.tpid.toString(16)}`);
    }
    requireUint("VLAN priority", tag.priority, 7);
    requireUint("VLAN id", tag.vlanId, 0x0fff);
    writeUint16(target, position, tag.tpid);
    writeUint16(target, position + 2, (tag.priority << 13) | (tag.dropEligible ? 0x1000 : 0) | tag.vlanId);
    position += TAG_LENGTH;
  }
  writeUint16(target, position, header.etherType);
  return length;
}

export interface EncodeEthernetOptions {
  /** Zero-pad to the 60-byte minimum, for raw sockets on drivers that do not pad. TAP devices need no padding. */
  readonly padToMinimum?: boolean;
}

export function encodeEthernet(
  frame: EthernetFrame,
  options: EncodeEthernetOptions = {},
): Uint8Array<ArrayBuffer> {
  const headerLength = ethernetHeaderLength(frame.vlanTags.length);
  const contentLength = headerLength + frame.payload.length;
  const bytes = new Uint8Array(
    options.padToMinimum ? Math.max(contentLength, MIN_FRAME_LENGTH) : contentLength,
  );
  writeEthernetHeader(frame, bytes, 0);
  bytes.set(frame.payload, headerLength);
  return bytes;
}
