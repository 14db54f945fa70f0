import assert from "node:assert/strict";
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
  assert.equal(parseIpv4("10.99.0.1"), 0x0a630001);
  assert.equal(parseIpv4("0.0.0.0"), 0);
  assert.equal(parseIpv4("255.255.255.255"), 0xffffffff);
  assert.equal(formatIpv4(0xc0a80001), "192.168.0.1");
  assert.equal(formatIpv4(0xffffffff), "255.255.255.255");
  assert.equal(formatIpv4(parseIpv4("172.16.254.3")), "172.16.254.3");
  assert.throws(() => formatIpv4(2 ** 32), RangeError);
  assert.throws(() => formatIpv4(-1), RangeError);
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
    assert.equal(isIpv4(text), false, text);
    assert.throws(() => parseIpv4(text), (error: unknown) => {
      assert.ok(error instanceof AddressSyntaxError);
      assert.match(error.message, /^invalid IPv4 address "/);
      assert.match(error.reason, reason);
      return true;
    }, text);
  }
});

Deno.test("ipv4addr: bytes round trip, read from a captured header", () => {
  assert.equal(readIpv4(PING_REQUEST, 26), parseIpv4("10.99.0.1"));
  assert.equal(readIpv4(PING_REQUEST, 30), parseIpv4("10.99.1.2"));
  assert.deepEqual([...ipv4ToBytes(0xc0a80a01)], [192, 168, 10, 1]);
  assert.equal(ipv4FromBytes(new Uint8Array([255, 0, 128, 1])), 0xff008001);
  assert.throws(() => ipv4FromBytes(new Uint8Array(3)), RangeError);
});

Deno.test("ipv4addr: text to bytes and back is strict (was core/sys parseIPv4/formatIPv4)", () => {
  assert.deepEqual(ipv4ToBytes(parseIpv4("10.0.0.255")), Uint8Array.of(10, 0, 0, 255));
  assert.equal(formatIpv4(ipv4FromBytes(Uint8Array.of(255, 255, 255, 255))), "255.255.255.255");
  for (const bad of ["1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", " 1.2.3.4", "a.b.c.d", ""]) {
    assert.throws(() => ipv4ToBytes(parseIpv4(bad)), TypeError, bad);
  }
  assert.throws(() => formatIpv4(ipv4FromBytes(Uint8Array.of(10, 0, 0))), RangeError);
});

Deno.test("ipv4addr: prefix masks at the edges", () => {
  assert.equal(prefixMask(0), 0);
  assert.equal(prefixMask(1), 0x80000000);
  assert.equal(prefixMask(24), 0xffffff00);
  assert.equal(prefixMask(32), 0xffffffff);
  assert.throws(() => prefixMask(33), RangeError);
});

Deno.test("ipv4addr: CIDR parse keeps the address and derives the network", () => {
  const cidr = parseCidr("192.168.1.10/24");
  assert.deepEqual(cidr, { address: 0xc0a8010a, prefixLength: 24, mask: 0xffffff00, network: 0xc0a80100 });
  assert.equal(formatCidr(cidr), "192.168.1.10/24");
  assert.equal(cidrBroadcast(cidr), parseIpv4("192.168.1.255"));
  assert.ok(cidrContains(cidr, parseIpv4("192.168.1.0")));
  assert.ok(cidrContains(cidr, parseIpv4("192.168.1.255")));
  assert.ok(!cidrContains(cidr, parseIpv4("192.168.2.1")));
  assert.ok(!cidrContains(cidr, parseIpv4("192.168.0.255")));
});

Deno.test("ipv4addr: CIDR /0 contains everything and /32 only itself", () => {
  const all = parseCidr("0.0.0.0/0");
  assert.ok(cidrContains(all, 0) && cidrContains(all, 0xffffffff));
  const one = makeCidr(parseIpv4("10.0.0.7"), 32);
  assert.ok(cidrContains(one, parseIpv4("10.0.0.7")));
  assert.ok(!cidrContains(one, parseIpv4("10.0.0.6")));
  assert.ok(cidrContains(parseCidr("128.0.0.0/1"), 0xffffffff), "high addresses stay unsigned");
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
    assert.throws(() => parseCidr(text), (error: unknown) => {
      assert.ok(error instanceof AddressSyntaxError);
      assert.match(error.message, /^invalid IPv4 CIDR "/);
      assert.match(error.reason, reason);
      return true;
    }, text);
  }
});
