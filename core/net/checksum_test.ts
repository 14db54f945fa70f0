import { assertStrictEquals, assertThrows } from "../testing/assert.ts";
import {
  ChecksumAccumulator,
  finishChecksum,
  foldCarries,
  internetChecksum,
  onesComplementSum,
  pseudoHeaderSum,
  updateChecksum,
} from "./checksum.ts";
import { FIRST_FRAGMENT, LAST_FRAGMENT, PING_REQUEST, SOCAT_UDP } from "./testdata/captures.ts";
import { readUint16 } from "./bytes.ts";

// RFC 1071 section 3 example: words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2, checksum 220d.
const RFC1071_EXAMPLE = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);

Deno.test("checksum: RFC 1071 example sum and checksum", () => {
  assertStrictEquals(onesComplementSum(RFC1071_EXAMPLE), 0xddf2);
  assertStrictEquals(internetChecksum(RFC1071_EXAMPLE), 0x220d);
  assertStrictEquals(foldCarries(0x2ddf0), 0xddf2);
});

Deno.test("checksum: RFC 1071 byte order independence (swapped input gives the swapped sum)", () => {
  const swapped = new Uint8Array([0x01, 0x00, 0x03, 0xf2, 0xf5, 0xf4, 0xf7, 0xf6]);
  assertStrictEquals(onesComplementSum(swapped), 0xf2dd);
});

Deno.test("checksum: odd length pads the last byte with zero", () => {
  assertStrictEquals(onesComplementSum(new Uint8Array([0x12, 0x34, 0x56])), 0x1234 + 0x5600);
  assertStrictEquals(onesComplementSum(new Uint8Array([0xab])), 0xab00);
  assertStrictEquals(internetChecksum(new Uint8Array(0)), 0xffff);
});

Deno.test("checksum: a range and an initial sum equal summing the concatenation", () => {
  const head = RFC1071_EXAMPLE.subarray(0, 4);
  assertStrictEquals(onesComplementSum(RFC1071_EXAMPLE, 4, 8, onesComplementSum(head)), 0xddf2);
});

Deno.test("checksum: RFC 1624 incremental update example (eqn. 3 gives 0x0000, not -0)", () => {
  assertStrictEquals(updateChecksum(0xdd2f, 0x5555, 0x3285), 0x0000);
});

Deno.test("checksum: incremental update matches recomputing a captured IPv4 header after a TTL decrement", () => {
  const header = PING_REQUEST.slice(14, 34);
  const before = readUint16(header, 10);
  const oldWord = readUint16(header, 8);
  header[8] -= 1;
  const newWord = readUint16(header, 8);
  header[10] = header[11] = 0;
  assertStrictEquals(updateChecksum(before, oldWord, newWord), internetChecksum(header));
});

Deno.test("checksum: captured IPv4 header checksum (ping) recomputes to the value on the wire", () => {
  const header = PING_REQUEST.slice(14, 34);
  assertStrictEquals(readUint16(header, 10), 0xc31d);
  assertStrictEquals(onesComplementSum(header), 0xffff, "a header including its checksum sums to 0xffff");
  header[10] = header[11] = 0;
  assertStrictEquals(internetChecksum(header), 0xc31d);
});

Deno.test("checksum: captured ICMP echo checksum (ping)", () => {
  const icmp = PING_REQUEST.slice(34);
  assertStrictEquals(readUint16(icmp, 2), 0xa198);
  icmp[2] = icmp[3] = 0;
  assertStrictEquals(internetChecksum(icmp), 0xa198);
});

Deno.test("checksum: captured UDP checksum (socat, odd 18-byte datagram) with the pseudo-header", () => {
  const udp = SOCAT_UDP.slice(34);
  assertStrictEquals(readUint16(udp, 6), 0x741a);
  udp[6] = udp[7] = 0;
  const pseudo = pseudoHeaderSum(0x0a630001, 0x0a630102, 17, udp.length);
  assertStrictEquals(internetChecksum(udp, 0, udp.length, pseudo), 0x741a);
});

Deno.test("checksum: accumulator over odd-length pieces equals the one-shot sum", () => {
  const data = SOCAT_UDP.subarray(14);
  const whole = onesComplementSum(data);
  for (const cuts of [[1], [3, 4], [1, 2, 3, 5, 8], [7, 19, 20, 21], [data.length - 1]]) {
    const accumulator = new ChecksumAccumulator();
    let start = 0;
    for (const cut of [...cuts, data.length]) {
      accumulator.add(data, start, cut);
      start = cut;
    }
    assertStrictEquals(accumulator.sum, whole, `cuts ${cuts}`);
    assertStrictEquals(accumulator.checksum(), finishChecksum(whole));
  }
});

Deno.test("checksum: accumulator words and an odd position", () => {
  const accumulator = new ChecksumAccumulator().addWord(0x0001).addWord(0xf203);
  accumulator.add(RFC1071_EXAMPLE, 4);
  assertStrictEquals(accumulator.checksum(), 0x220d);
  accumulator.add(new Uint8Array([1]));
  assertThrows(() => accumulator.addWord(1), RangeError);
});

Deno.test("checksum: ICMP checksum of a fragmented ping verifies across both captured fragments", () => {
  // Fragment payloads: ICMP bytes 0..1479 in the first, 1480..1607 in the second; 1480 is even, so the
  // second fragment's sum continues the first's.
  const first = FIRST_FRAGMENT.subarray(34);
  const last = LAST_FRAGMENT.subarray(34);
  assertStrictEquals(first.length, 1480);
  assertStrictEquals(last.length, 128);
  const sum = new ChecksumAccumulator().add(first).add(last).sum;
  assertStrictEquals(sum, 0xffff);
});
