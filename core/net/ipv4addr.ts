import { AddressSyntaxError } from "./errors.ts";
import { readUint32, requireUint, writeUint32 } from "./bytes.ts";

/**
 * An IPv4 address as an unsigned 32-bit integer (first octet most significant): allocation-free to decode,
 * comparable with `===`, and range and prefix checks are plain arithmetic. Text only at the edges.
 */
export type Ipv4Address = number;

export const IPV4_ADDRESS_LENGTH = 4;
const MAX_UINT32 = 0xffff_ffff;
const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Strict dotted quad: four decimal octets 0-255, no leading zeros (which some libraries read as octal). */
export function parseIpv4(text: string): Ipv4Address {
  const parts = text.split(".");
  if (parts.length !== 4) {
    throw new AddressSyntaxError(
      "IPv4 address",
      text,
      `expected 4 dot-separated octets, got ${parts.length}`,
    );
  }
  let address = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) {
      throw new AddressSyntaxError(
        "IPv4 address",
        text,
        `octet ${JSON.stringify(part)} is not a decimal number without leading zeros`,
      );
    }
    const octet = Number(part);
    if (octet > 255) throw new AddressSyntaxError("IPv4 address", text, `octet ${octet} is above 255`);
    address = address * 256 + octet;
  }
  return address;
}

export function isIpv4(text: string): boolean {
  try {
    parseIpv4(text);
    return true;
  } catch {
    return false;
  }
}

export function formatIpv4(address: Ipv4Address): string {
  requireIpv4(address);
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

export function readIpv4(bytes: Uint8Array, offset: number): Ipv4Address {
  return readUint32(bytes, offset);
}

export function writeIpv4(address: Ipv4Address, target: Uint8Array, offset: number): void {
  writeUint32(target, offset, address);
}

export function ipv4FromBytes(bytes: Uint8Array): Ipv4Address {
  if (bytes.length !== IPV4_ADDRESS_LENGTH) {
    throw new RangeError(`an IPv4 address has 4 bytes, got ${bytes.length}`);
  }
  return readUint32(bytes, 0);
}

export function ipv4ToBytes(address: Ipv4Address): Uint8Array<ArrayBuffer> {
  requireIpv4(address);
  const bytes = new Uint8Array(IPV4_ADDRESS_LENGTH);
  writeUint32(bytes, 0, address);
  return bytes;
}

export function requireIpv4(address: Ipv4Address): void {
  requireUint("IPv4 address", address, MAX_UINT32);
}

/**
 * An address with a prefix length, as in "192.168.1.10/24". The address may have host bits set (that is
 * how interfaces are configured); `network` is the address with them cleared.
 */
export interface Ipv4Cidr {
  readonly address: Ipv4Address;
  readonly prefixLength: number;
  readonly mask: Ipv4Address;
  readonly network: Ipv4Address;
}

/** The netmask for a prefix length: 24 gives 255.255.255.0. */
export function prefixMask(prefixLength: number): Ipv4Address {
  requireUint("IPv4 prefix length", prefixLength, 32);
  // Shifting a 32-bit value by 32 is a no-op in JavaScript, so /0 needs its own case.
  return prefixLength === 0 ? 0 : (MAX_UINT32 << (32 - prefixLength)) >>> 0;
}

export function makeCidr(address: Ipv4Address, prefixLength: number): Ipv4Cidr {
  requireIpv4(address);
  const mask = prefixMask(prefixLength);
  return { address, prefixLength, mask, network: (address & mask) >>> 0 };
}

/** Parses "a.b.c.d/n" strictly: the prefix is required, decimal 0-32 without leading zeros. */
export function parseCidr(text: string): Ipv4Cidr {
  const slash = text.indexOf("/");
  if (slash < 0) throw new AddressSyntaxError("IPv4 CIDR", text, 'missing "/prefix-length"');
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(prefixText) || Number(prefixText) > 32) {
    throw new AddressSyntaxError(
      "IPv4 CIDR",
      text,
      `prefix length ${JSON.stringify(prefixText)} is not a decimal number from 0 to 32`,
    );
  }
  let address: Ipv4Address;
  try {
    address = parseIpv4(text.slice(0, slash));
  } catch (error) {
    if (!(error instanceof AddressSyntaxError)) throw error;
    throw new AddressSyntaxError("IPv4 CIDR", text, error.reason);
  }
  return makeCidr(address, Number(prefixText));
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.address)}/${cidr.prefixLength}`;
}

export function cidrContains(cidr: Ipv4Cidr, address: Ipv4Address): boolean {
  return ((address & cidr.mask) >>> 0) === cidr.network;
}

/** The all-ones host address of the prefix (the directed broadcast address for /0 to /30). */
export function cidrBroadcast(cidr: Ipv4Cidr): Ipv4Address {
  return (cidr.network | ~cidr.mask) >>> 0;
}
