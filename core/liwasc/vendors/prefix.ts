// Prefix arithmetic on MAC addresses held as 48-bit numbers (core/net/mac.ts). JavaScript's bitwise
// operators stop at 32 bits, so prefixes are taken by division, which is exact below 2^53.
import type { MacAddress } from "../../net/mac.ts";

/** The IEEE registries' block sizes: MA-L (OUI) 24 bits, MA-M 28, MA-S and IAB 36. */
export type PrefixBits = 24 | 28 | 36;

/** Longest first: a 36-bit block carved out of a 24-bit one names the more specific owner. */
export const PREFIX_BITS: readonly PrefixBits[] = [36, 28, 24];

/** One registry assignment: the top `bits` bits of a MAC address, as a number, and who holds them. */
export interface Assignment {
  bits: PrefixBits;
  prefix: number;
  organisation: string;
}

export function isPrefixBits(bits: number): bits is PrefixBits {
  return bits === 24 || bits === 28 || bits === 36;
}

export function prefixOf(mac: MacAddress, bits: PrefixBits): number {
  return Math.floor(mac / 2 ** (48 - bits));
}

/** Uppercase and fixed width (one digit per 4 bits), so text order is numeric order. */
export function prefixHex(prefix: number, bits: PrefixBits): string {
  return prefix.toString(16).toUpperCase().padStart(bits / 4, "0");
}

/** "00:1B:21" for a 24-bit prefix; longer ones as the octets they touch plus the length, "70:B3:D5:1A:B0/36". */
export function formatPrefix(prefix: number, bits: PrefixBits): string {
  let hex = prefixHex(prefix, bits);
  if (hex.length % 2 === 1) hex += "0";
  const octets = hex.match(/../g)!.join(":");
  return bits === 24 ? octets : `${octets}/${bits}`;
}
