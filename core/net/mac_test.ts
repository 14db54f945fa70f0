import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import {
  BROADCAST_MAC,
  formatMac,
  isBroadcastMac,
  isLocallyAdministeredMac,
  isMac,
  isMulticastMac,
  isUnicastMac,
  macFromBytes,
  macToBytes,
  parseMac,
  readMac,
} from "./mac.ts";
import { AddressSyntaxError } from "./errors.ts";
import { ARPING_REQUEST } from "./testdata/captures.ts";

Deno.test("mac: parse both separators and either case", () => {
  assertStrictEquals(parseMac("aa:bb:cc:dd:ee:ff"), 0xaabbccddeeff);
  assertStrictEquals(parseMac("AA-BB-CC-DD-EE-FF"), 0xaabbccddeeff);
  assertStrictEquals(parseMac("00:00:00:00:00:00"), 0);
  assertStrictEquals(parseMac("ff:ff:ff:ff:ff:ff"), BROADCAST_MAC);
});

Deno.test("mac: malformed text is an AddressSyntaxError naming the input", () => {
  for (
    const bad of [
      "",
      "aa:bb:cc:dd:ee",
      "aa:bb:cc:dd:ee:ff:00",
      "aa:bb-cc:dd:ee:ff",
      "a:bb:cc:dd:ee:ff",
      "aaa:bb:cc:dd:ee:ff",
      "gg:bb:cc:dd:ee:ff",
      " aa:bb:cc:dd:ee:ff",
      "aa:bb:cc:dd:ee:ff\n",
      "aabb.ccdd.eeff",
      "aabbccddeeff",
      "+a:bb:cc:dd:ee:ff",
    ]
  ) {
    assertStrictEquals(isMac(bad), false, bad);
    assertThrows(() => parseMac(bad), (error: unknown) => {
      assert(error instanceof AddressSyntaxError);
      assertStrictEquals(error.input, bad);
      assertMatch(error.message, /^invalid MAC address ".*": expected 6 groups of 2 hex digits/);
      return true;
    });
  }
});

Deno.test("mac: format is lowercase and zero-padded, with a chosen separator", () => {
  assertStrictEquals(formatMac(0x02000000000a), "02:00:00:00:00:0a");
  assertStrictEquals(formatMac(0xaabbccddeeff, "-"), "aa-bb-cc-dd-ee-ff");
  assertStrictEquals(formatMac(0), "00:00:00:00:00:00");
  assertThrows(() => formatMac(2 ** 48), RangeError);
  assertThrows(() => formatMac(-1), RangeError);
  assertThrows(() => formatMac(1.5), RangeError);
});

Deno.test("mac: bytes round trip, read from a captured frame", () => {
  assertStrictEquals(readMac(ARPING_REQUEST, 6), 0x02000000000a);
  assertStrictEquals(readMac(ARPING_REQUEST, 0), BROADCAST_MAC);
  const bytes = macToBytes(0xfedcba987654);
  assertEquals([...bytes], [0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54]);
  assertStrictEquals(macFromBytes(bytes), 0xfedcba987654);
  assertThrows(() => macFromBytes(new Uint8Array(5)), RangeError);
});

Deno.test("mac: 6 bytes as text, lowercase and colon-separated (was core/sys formatMac)", () => {
  assertStrictEquals(
    formatMac(macFromBytes(Uint8Array.of(0x02, 0x00, 0x5e, 0xab, 0xcd, 0xef))),
    "02:00:5e:ab:cd:ef",
  );
  assertThrows(() => formatMac(macFromBytes(Uint8Array.of(1, 2, 3, 4, 5))), RangeError);
});

Deno.test("mac: broadcast, multicast, unicast and locally administered bits", () => {
  assert(isBroadcastMac(BROADCAST_MAC));
  assert(isMulticastMac(BROADCAST_MAC));
  assert(isMulticastMac(parseMac("01:00:5e:00:00:01")), "IPv4 multicast");
  assert(isMulticastMac(parseMac("33:33:00:00:00:02")), "IPv6 multicast");
  assert(!isBroadcastMac(parseMac("01:00:5e:00:00:01")));
  assert(isUnicastMac(parseMac("00:1b:21:3a:4f:10")));
  assert(!isLocallyAdministeredMac(parseMac("00:1b:21:3a:4f:10")), "IEEE OUI");
  assert(isLocallyAdministeredMac(parseMac("02:00:00:00:00:0a")), "veth-style address");
  assert(isUnicastMac(parseMac("fe:ff:ff:ff:ff:ff")));
});
