import { AddressSyntaxError } from "./errors.ts";
import { requireUint } from "./bytes.ts";

/**
 * A MAC address as a 48-bit unsigned integer (first octet most significant). A number, not bytes or text:
 * decoding one allocates nothing, `===` compares it and it is a Map key as is, which a switching table on
 * the VPN frame path needs. Use formatMac/parseMac at the edges.
 */
export type MacAddress = number;

export const MAC_LENGTH = 6;
export const BROADCAST_MAC: MacAddress = 0xffff_ffff_ffff;
const MAX_MAC = 0xffff_ffff_ffff;
const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_40 = 0x100_0000_0000;

const MAC_PATTERN = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/** Parses "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff" (either case, one separator throughout). */
export function parseMac(text: string): MacAddress {
  if (!MAC_PATTERN.test(text)) {
    throw new AddressSyntaxError(
      "MAC address",
      text,
      'expected 6 groups of 2 hex digits separated by ":" or "-", like "02:00:5e:10:00:01"',
    );
  }
  return Number.parseInt(text.replace(/[:-]/g, ""), 16);
}

export function isMac(text: string): boolean {
  return MAC_PATTERN.test(text);
}

/** Lowercase, zero-padded, `separator` between octets. */
export function formatMac(mac: MacAddress, separator: ":" | "-" = ":"): string {
  requireMac(mac);
  const hex = mac.toString(16).padStart(12, "0");
  let text = hex.slice(0, 2);
  for (let i = 2; i < 12; i += 2) text += separator + hex.slice(i, i + 2);
  return text;
}

export function readMac(bytes: Uint8Array, offset: number): MacAddress {
  const high = (bytes[offset] << 8) | bytes[offset + 1];
  const low = ((bytes[offset + 2] << 24) | (bytes[offset + 3] << 16) | (bytes[offset + 4] << 8) |
    bytes[offset + 5]) >>> 0;
  return high * TWO_POW_32 + low;
}

/** Writes the 6 octets; the caller guarantees room (encoders check it once for the whole header). */
export function writeMac(mac: MacAddress, target: Uint8Array, offset: number): void {
  const high = Math.floor(mac / TWO_POW_32);
  const low = mac >>> 0;
  target[offset] = high >>> 8;
  target[offset + 1] = high;
  target[offset + 2] = low >>> 24;
  target[offset + 3] = low >>> 16;
  target[offset + 4] = low >>> 8;
  target[offset + 5] = low;
}

export function macFromBytes(bytes: Uint8Array): MacAddress {
  if (bytes.length !== MAC_LENGTH) throw new RangeError(`a MAC address has 6 bytes, got ${bytes.length}`);
  return readMac(bytes, 0);
}

export function macToBytes(mac: MacAddress): Uint8Array<ArrayBuffer> {
  requireMac(mac);
  const bytes = new Uint8Array(MAC_LENGTH);
  writeMac(mac, bytes, 0);
  return bytes;
}

export function requireMac(mac: MacAddress): void {
  requireUint("MAC address", mac, MAX_MAC);
}

function firstOctet(mac: MacAddress): number {
  return Math.floor(mac / TWO_POW_40);
}

export function isBroadcastMac(mac: MacAddress): boolean {
  return mac === BROADCAST_MAC;
}

/** The I/G bit: group addresses, broadcast included. */
export function isMulticastMac(mac: MacAddress): boolean {
  return (firstOctet(mac) & 0x01) !== 0;
}

export function isUnicastMac(mac: MacAddress): boolean {
  return !isMulticastMac(mac);
}

/** The U/L bit: set for addresses assigned by software (VMs, TAPs, VPNs) rather than from an IEEE OUI. */
export function isLocallyAdministeredMac(mac: MacAddress): boolean {
  return (firstOctet(mac) & 0x02) !== 0;
}
