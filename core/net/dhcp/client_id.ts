import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { readUint32, requireUint, toHexString } from "../bytes.ts";
import { type MacAddress, macToBytes } from "../mac.ts";
import { DHCP_OPTION_CLIENT_ID, HTYPE_ETHERNET } from "./codes.ts";
import type { OptionCodec } from "./values.ts";

// Option 61, client identifier (RFC 2132 §9.14): a type byte and data. Type 1 with a MAC is what most
// clients send; type 255 is RFC 4361's IAID + DUID (dhcpcd, systemd-networkd), shared with DHCPv6; type 0
// is free-form. RFC 6842 says servers echo it back. A server keys leases on it when present and on
// htype + chaddr otherwise (RFC 2131 §4.2): clientKey() makes that key.

/** RFC 4361 §6.1: client identifier type for IAID + DUID. */
export const CLIENT_ID_TYPE_DUID = 255;

export interface ClientIdentifier {
  /** The type byte: an ARP hardware type (1 Ethernet), 0 for opaque data, 255 for IAID + DUID. */
  readonly type: number;
  /** The bytes after the type byte (view when decoded). */
  readonly data: Uint8Array;
}

export function decodeClientIdentifier(data: Uint8Array): Decoded<ClientIdentifier> {
  // RFC 2132: minimum length 2, a type and at least one byte.
  if (data.length < 2) {
    return decodeFailure(
      "dhcp client identifier",
      `length ${data.length}, at least 2 expected (type and data)`,
    );
  }
  return decoded({ type: data[0], data: data.subarray(1) });
}

export function encodeClientIdentifier(id: ClientIdentifier): Uint8Array<ArrayBuffer> {
  requireUint("client identifier type", id.type, 0xff);
  if (id.data.length === 0) {
    throw new RangeError("a client identifier needs at least one byte after its type");
  }
  const bytes = new Uint8Array(1 + id.data.length);
  bytes[0] = id.type;
  bytes.set(id.data, 1);
  return bytes;
}

export const CLIENT_IDENTIFIER: OptionCodec<ClientIdentifier> = {
  decode: decodeClientIdentifier,
  encode: encodeClientIdentifier,
};

/** The usual identifier for an Ethernet interface: type 1 and its MAC. */
export function macClientIdentifier(mac: MacAddress): ClientIdentifier {
  return { type: HTYPE_ETHERNET, data: macToBytes(mac) };
}

export interface Rfc4361Identifier {
  /** Identity association id: tells apart interfaces of one host. */
  readonly iaid: number;
  /** DHCP unique identifier (RFC 8415 §11), view: a 16-bit type (1 LLT, 2 EN, 3 LL, 4 UUID), then data. */
  readonly duid: Uint8Array;
}

/** Splits a type-255 identifier into IAID and DUID; undefined for other types or when too short. */
export function rfc4361Parts(id: ClientIdentifier): Rfc4361Identifier | undefined {
  if (id.type !== CLIENT_ID_TYPE_DUID || id.data.length < 4 + 2) return undefined;
  return { iaid: readUint32(id.data, 0), duid: id.data.subarray(4) };
}

/**
 * The stable key a server files a client's lease under: "id:" and the identifier's bytes (type first) in
 * hex when the message has a well-formed option 61, else "hw:", htype and chaddr. The same client gets
 * the same key across DISCOVER, REQUEST, RELEASE and reboots, which is what lease lookups need.
 */
export function clientKey(message: {
  readonly htype: number;
  readonly chaddr: Uint8Array;
  readonly options: ReadonlyMap<number, Uint8Array>;
}): string {
  const id = message.options.get(DHCP_OPTION_CLIENT_ID);
  if (id !== undefined && id.length >= 2) return `id:${toHexString(id, ":")}`;
  return `hw:${message.htype}:${toHexString(message.chaddr, ":")}`;
}

/** "01:02:00:00:00:05:0c": type byte then data, for logs and configuration (static leases by client id). */
export function formatClientIdentifier(id: ClientIdentifier): string {
  return toHexString(encodeClientIdentifier(id), ":");
}
