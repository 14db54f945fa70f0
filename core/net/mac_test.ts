import assert from "node:assert/strict";
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
  assert.equal(parseMac("aa:bb:cc:dd:ee:ff"), 0xaabbccddeeff);
  assert.equal(parseMac("AA-BB-CC-DD-EE-FF"), 0xaabbccddeeff);
  assert.equal(parseMac("00:00:00:00:00:00"), 0);
  assert.equal(parseMac("ff:ff:ff:ff:ff:ff"), BROADCAST_MAC);
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
    assert.equal(isMac(bad), false, bad);
    assert.throws(() => parseMac(bad), (error: unknown) => {
      assert.ok(error instanceof AddressSyntaxError);
      assert.equal(error.input, bad);
      assert.match(error.message, /^invalid MAC address ".*": expected 6 groups of 2 hex digits/);
      return true;
    });
  }
});

Deno.test("mac: format is lowercase and zero-padded, with a chosen separator", () => {
  assert.equal(formatMac(0x02000000000a), "02:00:00:00:00:0a");
  assert.equal(formatMac(0xaabbccddeeff, "-"), "aa-bb-cc-dd-ee-ff");
  assert.equal(formatMac(0), "00:00:00:00:00:00");
  assert.throws(() => formatMac(2 ** 48), RangeError);
  assert.throws(() => formatMac(-1), RangeError);
  assert.throws(() => formatMac(1.5), RangeError);
});

Deno.test("mac: bytes round trip, read from a captured frame", () => {
  assert.equal(readMac(ARPING_REQUEST, 6), 0x02000000000a);
  assert.equal(readMac(ARPING_REQUEST, 0), BROADCAST_MAC);
  const bytes = macToBytes(0xfedcba987654);
  assert.deepEqual([...bytes], [0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54]);
  assert.equal(macFromBytes(bytes), 0xfedcba987654);
  assert.throws(() => macFromBytes(new Uint8Array(5)), RangeError);
});

Deno.test("mac: 6 bytes as text, lowercase and colon-separated (was core/sys formatMac)", () => {
  assert.equal(
    formatMac(macFromBytes(Uint8Array.of(0x02, 0x00, 0x5e, 0xab, 0xcd, 0xef))),
    "02:00:5e:ab:cd:ef",
  );
  assert.throws(() => formatMac(macFromBytes(Uint8Array.of(1, 2, 3, 4, 5))), RangeError);
});

Deno.test("mac: broadcast, multicast, unicast and locally administered bits", () => {
  assert.ok(isBroadcastMac(BROADCAST_MAC));
  assert.ok(isMulticastMac(BROADCAST_MAC));
  assert.ok(isMulticastMac(parseMac("01:00:5e:00:00:01")), "IPv4 multicast");
  assert.ok(isMulticastMac(parseMac("33:33:00:00:00:02")), "IPv6 multicast");
  assert.ok(!isBroadcastMac(parseMac("01:00:5e:00:00:01")));
  assert.ok(isUnicastMac(parseMac("00:1b:21:3a:4f:10")));
  assert.ok(!isLocallyAdministeredMac(parseMac("00:1b:21:3a:4f:10")), "IEEE OUI");
  assert.ok(isLocallyAdministeredMac(parseMac("02:00:00:00:00:0a")), "veth-style address");
  assert.ok(isUnicastMac(parseMac("fe:ff:ff:ff:ff:ff")));
});
