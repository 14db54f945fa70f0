import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { berInteger, berOid, berTlv, readInteger, readTagged, readTlv } from "./ber.ts";
import { hex } from "./testdata/bytes.ts";

// Vectors worked out by hand from X.690: §8.1.3 lengths, §8.3 integers, §8.19 object identifiers.

Deno.test("ber: INTEGER in the fewest two's complement bytes", () => {
  const cases: [number, string][] = [
    [0, "020100"],
    [1, "020101"],
    [127, "02017f"],
    [128, "02020080"],
    [255, "020200ff"],
    [256, "02020100"],
    [0x12345678, "020412345678"],
    [0x7fffffff, "02047fffffff"],
    [0x80000000, "02050080000000"],
  ];
  for (const [value, bytes] of cases) assertEquals(berInteger(value), hex(bytes), `${value}`);
  assertThrows(() => berInteger(-1), RangeError);
  assertThrows(() => berInteger(1.5), RangeError);
});

Deno.test("ber: OBJECT IDENTIFIER with the first two arcs joined and base-128 arcs", () => {
  assertEquals(berOid([1, 3, 6, 1, 2, 1, 1, 1, 0]), hex("06 08 2b06010201010100"));
  // 311 = 2 * 128 + 55, 16383 = 127 * 128 + 127, 16384 = 1 * 128^2.
  assertEquals(berOid([1, 3, 6, 1, 4, 1, 311]), hex("06 07 2b060104018237"));
  assertEquals(berOid([2, 999, 16383, 16384]), hex("06 07 8837 ff7f 818000"));
  assertThrows(() => berOid([1]), RangeError);
  assertThrows(() => berOid([1, 40]), RangeError);
  assertThrows(() => berOid([3, 1]), RangeError);
});

Deno.test("ber: short and long definite lengths", () => {
  assertEquals(berTlv(0x05), hex("0500"));
  assertEquals(berTlv(0x04, new Uint8Array(127)).subarray(0, 2), hex("047f"));
  assertEquals(berTlv(0x04, new Uint8Array(128)).subarray(0, 3), hex("048180"));
  assertEquals(berTlv(0x04, new Uint8Array(200)).subarray(0, 3), hex("0481c8"));
  assertEquals(berTlv(0x04, new Uint8Array(300)).subarray(0, 4), hex("0482012c"));
  assertEquals(berTlv(0x30, hex("0500"), hex("020101")), hex("3005 0500 020101"));
});

Deno.test("ber: readTlv follows lengths and refuses what overruns or is unsupported", () => {
  assertEquals(readTlv(hex("0403616263ff"), 0), { tag: 4, start: 2, end: 5 });
  assertEquals(readTlv(hex("04820003616263"), 0), { tag: 4, start: 4, end: 7 });
  const refused: [string, string, number?][] = [
    ["empty", ""],
    ["tag only", "04"],
    ["content overruns the buffer", "0404616263"],
    ["content overruns the parent", "0403616263", 4],
    ["indefinite length", "3080 0000"],
    ["five length bytes", "04850000000001 00"],
    ["long length cut short", "048200"],
    ["high tag number form", "1f0100"],
  ];
  for (const [what, bytes, limit] of refused) {
    assertStrictEquals(readTlv(hex(bytes), 0, limit), undefined, what);
  }
  assertStrictEquals(readTagged(hex("020100"), 0, 3, 0x04), undefined);
});

Deno.test("ber: readInteger takes any sign and up to 6 bytes", () => {
  const value = (bytes: string) => {
    const buffer = hex(bytes);
    const tlv = readTlv(buffer, 0);
    return tlv && readInteger(buffer, tlv);
  };
  assertStrictEquals(value("020100"), 0);
  assertStrictEquals(value("0201ff"), -1);
  assertStrictEquals(value("020180"), -128);
  assertStrictEquals(value("0202ff00"), -256);
  assertStrictEquals(value("02050080000000"), 0x80000000);
  assertStrictEquals(value("02067fffffffffff"), 2 ** 47 - 1);
  assertStrictEquals(value("0207000000000000 01"), undefined, "7 bytes");
  assertStrictEquals(value("0200"), undefined, "empty");
  assertStrictEquals(value("040101"), undefined, "not an INTEGER");
});
