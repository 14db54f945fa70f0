import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import {
  cidrBroadcast,
  cidrContains,
  formatCidr,
  formatIpv4,
  ipv4FromBytes,
  ipv4ToBytes,
  isIpv4,
  makeCidr,
  parseCidr,
  parseIpv4,
  prefixMask,
  readIpv4,
} from "./ipv4addr.ts";
import { AddressSyntaxError } from "./errors.ts";
import { PING_REQUEST } from "./testdata/captures.ts";

Deno.test("ipv4addr: parse and format dotted quads as uint32", () => {
  assertStrictEquals(parseIpv4("10.99.0.1"), 0x0a630001);
  assertStrictEquals(parseIpv4("0.0.0.0"), 0);
  assertStrictEquals(parseIpv4("255.255.255.255"), 0xffffffff);
  assertStrictEquals(formatIpv4(0xc0a80001), "192.168.0.1");
  assertStrictEquals(formatIpv4(0xffffffff), "255.255.255.255");
  assertStrictEquals(formatIpv4(parseIpv4("172.16.254.3")), "172.16.254.3");
  assertThrows(() => formatIpv4(2 ** 32), RangeError);
  assertThrows(() => formatIpv4(-1), RangeError);
});

Deno.test("ipv4addr: malformed text is an error saying what is wrong", () => {
  const cases: [string, RegExp][] = [
    ["1.2.3", /expected 4 dot-separated octets, got 3/],
    ["1.2.3.4.5", /got 5/],
    ["", /got 1/],
    ["256.0.0.1", /octet 256 is above 255/],
    ["01.2.3.4", /"01" is not a decimal number without leading zeros/],
    ["1..3.4", /"" is not a decimal/],
    ["1.2.3.4 ", /"4 " is not/],
    ["1.2.3.+4", /"\+4" is not/],
    ["0x1.2.3.4", /"0x1" is not/],
    ["1.2.3.1000", /"1000" is not/],
  ];
  for (const [text, reason] of cases) {
    assertStrictEquals(isIpv4(text), false, text);
    assertThrows(() => parseIpv4(text), (error: unknown) => {
      assert(error instanceof AddressSyntaxError);
      assertMatch(error.message, /^invalid IPv4 address "/);
      assertMatch(error.reason, reason);
      return true;
    }, text);
  }
});

Deno.test("ipv4addr: bytes round trip, read from a captured header", () => {
  assertStrictEquals(readIpv4(PING_REQUEST, 26), parseIpv4("10.99.0.1"));
  assertStrictEquals(readIpv4(PING_REQUEST, 30), parseIpv4("10.99.1.2"));
  assertEquals([...ipv4ToBytes(0xc0a80a01)], [192, 168, 10, 1]);
  assertStrictEquals(ipv4FromBytes(new Uint8Array([255, 0, 128, 1])), 0xff008001);
  assertThrows(() => ipv4FromBytes(new Uint8Array(3)), RangeError);
});

Deno.test("ipv4addr: text to bytes and back is strict (was core/sys parseIPv4/formatIPv4)", () => {
  assertEquals(ipv4ToBytes(parseIpv4("10.0.0.255")), Uint8Array.of(10, 0, 0, 255));
  assertStrictEquals(formatIpv4(ipv4FromBytes(Uint8Array.of(255, 255, 255, 255))), "255.255.255.255");
  for (const bad of ["1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", " 1.2.3.4", "a.b.c.d", ""]) {
    assertThrows(() => ipv4ToBytes(parseIpv4(bad)), TypeError, bad);
  }
  assertThrows(() => formatIpv4(ipv4FromBytes(Uint8Array.of(10, 0, 0))), RangeError);
});

Deno.test("ipv4addr: prefix masks at the edges", () => {
  assertStrictEquals(prefixMask(0), 0);
  assertStrictEquals(prefixMask(1), 0x80000000);
  assertStrictEquals(prefixMask(24), 0xffffff00);
  assertStrictEquals(prefixMask(32), 0xffffffff);
  assertThrows(() => prefixMask(33), RangeError);
});

Deno.test("ipv4addr: CIDR parse keeps the address and derives the network", () => {
  const cidr = parseCidr("192.168.1.10/24");
  assertEquals(cidr, { address: 0xc0a8010a, prefixLength: 24, mask: 0xffffff00, network: 0xc0a80100 });
  assertStrictEquals(formatCidr(cidr), "192.168.1.10/24");
  assertStrictEquals(cidrBroadcast(cidr), parseIpv4("192.168.1.255"));
  assert(cidrContains(cidr, parseIpv4("192.168.1.0")));
  assert(cidrContains(cidr, parseIpv4("192.168.1.255")));
  assert(!cidrContains(cidr, parseIpv4("192.168.2.1")));
  assert(!cidrContains(cidr, parseIpv4("192.168.0.255")));
});

Deno.test("ipv4addr: CIDR /0 contains everything and /32 only itself", () => {
  const all = parseCidr("0.0.0.0/0");
  assert(cidrContains(all, 0) && cidrContains(all, 0xffffffff));
  const one = makeCidr(parseIpv4("10.0.0.7"), 32);
  assert(cidrContains(one, parseIpv4("10.0.0.7")));
  assert(!cidrContains(one, parseIpv4("10.0.0.6")));
  assert(cidrContains(parseCidr("128.0.0.0/1"), 0xffffffff), "high addresses stay unsigned");
});

Deno.test("ipv4addr: malformed CIDR text is an error", () => {
  const cases: [string, RegExp][] = [
    ["10.0.0.0", /missing "\/prefix-length"/],
    ["10.0.0.0/", /prefix length "" is not/],
    ["10.0.0.0/33", /prefix length "33"/],
    ["10.0.0.0/08", /prefix length "08"/],
    ["10.0.0.0/-1", /prefix length "-1"/],
    ["10.0.0.0/24/1", /prefix length "24\/1"/],
    ["10.0.0/24", /expected 4 dot-separated octets/],
  ];
  for (const [text, reason] of cases) {
    assertThrows(() => parseCidr(text), (error: unknown) => {
      assert(error instanceof AddressSyntaxError);
      assertMatch(error.message, /^invalid IPv4 CIDR "/);
      assertMatch(error.reason, reason);
      return true;
    }, text);
  }
});
