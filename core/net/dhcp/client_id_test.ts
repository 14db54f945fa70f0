import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeDhcp } from "./message.ts";
import {
  clientKey,
  decodeClientIdentifier,
  encodeClientIdentifier,
  formatClientIdentifier,
  macClientIdentifier,
  rfc4361Parts,
} from "./client_id.ts";
import {
  DHCPCD_DISCOVER,
  DHCPCD_RELEASE,
  hex,
  UDHCPC_DISCOVER,
  UDHCPC_RELEASE,
} from "./testdata/captures.ts";

Deno.test("client id: dhcpcd's RFC 4361 identifier is IAID + DUID-LLT", () => {
  const id = unwrap(decodeClientIdentifier(unwrap(decodeDhcp(DHCPCD_DISCOVER)).options.get(61)!));
  assertStrictEquals(id.type, 255);
  const parts = rfc4361Parts(id)!;
  assertStrictEquals(parts.iaid, 0x0000050c);
  // DUID type 1 (LLT), hardware type 1, time 0x32998e62, MAC 02:00:00:00:05:0c.
  assertEquals(parts.duid, hex("0001000132998e6202000000050c"));
  assertStrictEquals(rfc4361Parts(macClientIdentifier(0x02000000050c)), undefined);
  assertStrictEquals(rfc4361Parts({ type: 255, data: hex("0000050c00") }), undefined, "too short for a DUID");
});

Deno.test("client id: the lease key is stable from DISCOVER to RELEASE", () => {
  for (const [first, last] of [[UDHCPC_DISCOVER, UDHCPC_RELEASE], [DHCPCD_DISCOVER, DHCPCD_RELEASE]]) {
    assertStrictEquals(clientKey(unwrap(decodeDhcp(first))), clientKey(unwrap(decodeDhcp(last))));
  }
  assertStrictEquals(clientKey(unwrap(decodeDhcp(UDHCPC_DISCOVER))), "id:01:02:00:00:00:05:0c");
  // A one-byte option 61 is malformed (RFC 2132: minimum 2): the key falls back to the hardware address.
  const message = unwrap(decodeDhcp(UDHCPC_DISCOVER));
  message.options.set(61, Uint8Array.of(1));
  assertStrictEquals(clientKey(message), "hw:1:02:00:00:00:05:0c");
});

Deno.test("client id: encode, format and the type-1 helper", () => {
  const id = macClientIdentifier(0x02000000050c);
  assertEquals(encodeClientIdentifier(id), hex("0102000000050c"));
  assertStrictEquals(formatClientIdentifier(id), "01:02:00:00:00:05:0c");
  assertEquals(unwrap(decodeClientIdentifier(hex("0061"))), { type: 0, data: hex("61") });
  assertThrows(() => encodeClientIdentifier({ type: 1, data: new Uint8Array(0) }), RangeError);
  assertThrows(() => encodeClientIdentifier({ type: 256, data: hex("01") }), RangeError);
  const result = decodeClientIdentifier(new Uint8Array(0));
  assertStrictEquals(
    result.ok ? "" : result.error.message,
    "dhcp client identifier: length 0, at least 2 expected (type and data)",
  );
});
