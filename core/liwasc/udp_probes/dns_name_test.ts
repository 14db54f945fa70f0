import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { encodeDnsName, readDnsName } from "./dns_name.ts";
import { concat, hex } from "./testdata/bytes.ts";

Deno.test("dns name: encoding as length-prefixed labels (RFC 1035 §3.1)", () => {
  assertEquals(encodeDnsName(["version", "bind"]), hex("07 76657273696f6e 04 62696e64 00"));
  assertEquals(encodeDnsName([]), hex("00"));
  assertThrows(() => encodeDnsName([""]), RangeError);
  assertThrows(() => encodeDnsName(["a".repeat(64)]), RangeError);
  assertThrows(() => encodeDnsName(["caf\u00e9"]), RangeError);
  assertThrows(() => encodeDnsName(["a b"]), RangeError);
  assertThrows(() => encodeDnsName(Array(4).fill("a".repeat(63))), RangeError, "256 bytes on the wire");
  assertStrictEquals(encodeDnsName([...Array(3).fill("a".repeat(63)), "b".repeat(61)]).length, 255);
});

Deno.test("dns name: plain and compressed names, end after the first pointer", () => {
  // "example.com" at 0, then "www" + pointer to 0 at 13.
  const message = hex("07 6578616d706c65 03 636f6d 00 03 777777 c000 ff");
  assertEquals(readDnsName(message, 0), { name: "example.com", end: 13 });
  assertEquals(readDnsName(message, 13), { name: "www.example.com", end: 19 });
  assertEquals(readDnsName(hex("00"), 0), { name: "", end: 1 });
  // A chain: "a" -> "b" -> "example.com", each pointing further back.
  const chain = concat(message.subarray(0, 19), hex("01 62 c00d 01 61 c013"));
  assertEquals(readDnsName(chain, 23), { name: "a.b.www.example.com", end: 27 });
});

Deno.test("dns name: label text is made printable", () => {
  assertStrictEquals(readDnsName(hex("03 611b62 00"), 0)?.name, "a?b");
});

Deno.test("dns name: malformed names are undefined", () => {
  const cases: [string, string, number][] = [
    ["truncated label", "05 6162", 0],
    ["no terminating zero", "01 61", 0],
    ["offset past the end", "00", 1],
    ["pointer cut in half", "01 61 c0", 0],
    ["pointer to itself", "c000", 0],
    ["pointer forward", "c002 00", 0],
    ["pointer loop between two", "01 61 c004 c000", 4],
    ["extended label type 0x40", "41 00", 0],
    ["label type 0x80", "81 00", 0],
  ];
  for (const [what, bytes, offset] of cases) {
    assertStrictEquals(readDnsName(hex(bytes), offset), undefined, what);
  }
});

Deno.test("dns name: more than 255 bytes or 16 pointers is refused", () => {
  const label = [63, ...new Array(63).fill(0x61)];
  assertStrictEquals(readDnsName(Uint8Array.from([...label, ...label, ...label, ...label, 0]), 0), undefined);
  assert(
    readDnsName(Uint8Array.from([...label, ...label, ...label, 61, ...new Array(61).fill(0x62), 0]), 0),
  );
  // A ladder of pointers, each to the one before: 16 are followed, the 17th is too many.
  const ladder = (steps: number) => {
    const bytes = [0];
    for (let i = 0; i < steps; i++) bytes.push(0xc0, i === 0 ? 0 : 1 + (i - 1) * 2);
    return Uint8Array.from(bytes);
  };
  assertEquals(readDnsName(ladder(16), 31), { name: "", end: 33 });
  assertStrictEquals(readDnsName(ladder(17), 33), undefined);
});
