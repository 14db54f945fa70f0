import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { parseMac } from "./mac.ts";
import { unwrap } from "./errors.ts";
import { decodeMagicPacket, encodeMagicPacket, parseSecureOnPassword, WOL_PAYLOAD_LENGTH } from "./wol.ts";
import { below, seededRandom } from "../testing/random.ts";
import { hex } from "./testdata/captures.ts";

const MAC = parseMac("02:00:c0:ff:ee:01");

// The white paper's layout, written out by hand: sync stream, then the MAC sixteen times.
const VECTOR = hex("ffffffffffff" + "0200c0ffee01".repeat(16));

Deno.test("wol: the magic packet is the sync stream and sixteen copies of the MAC", () => {
  assertEquals(encodeMagicPacket({ mac: MAC }), VECTOR);
  assertStrictEquals(VECTOR.length, WOL_PAYLOAD_LENGTH);
  assertEquals(unwrap(decodeMagicPacket(VECTOR)), { mac: MAC });
});

Deno.test("wol: SecureOn passwords of 6 and 4 bytes follow the last repetition", () => {
  const six = parseSecureOnPassword("aa:bb:cc:dd:ee:ff");
  assertEquals(six, hex("aabbccddeeff"));
  const withSix = encodeMagicPacket({ mac: MAC, password: six });
  assertEquals(withSix, hex("ffffffffffff" + "0200c0ffee01".repeat(16) + "aabbccddeeff"));
  assertEquals(unwrap(decodeMagicPacket(withSix)), { mac: MAC, password: six });
  const four = parseSecureOnPassword("192.168.1.2");
  assertEquals(four, hex("c0a80102"));
  assertEquals(unwrap(decodeMagicPacket(encodeMagicPacket({ mac: MAC, password: four }))).password, four);
  assertThrows(() => parseSecureOnPassword("secret"), /SecureOn/);
  assertThrows(() => parseSecureOnPassword("300.1.1.1"), /SecureOn/);
  assertThrows(() => encodeMagicPacket({ mac: MAC, password: new Uint8Array(5) }), /4 or 6 bytes/);
});

Deno.test("wol: found anywhere in a frame, after a longer run of 0xFF, and for a MAC starting with 0xFF", () => {
  const framed = new Uint8Array(14 + 20 + 8 + VECTOR.length);
  framed.set(VECTOR, 42);
  assertEquals(unwrap(decodeMagicPacket(framed)), { mac: MAC });
  const longSync = new Uint8Array([0xff, 0xff, ...VECTOR]);
  assertStrictEquals(unwrap(decodeMagicPacket(longSync)).mac, MAC);
  const ffMac = parseMac("ff:ff:01:02:03:04");
  assertStrictEquals(unwrap(decodeMagicPacket(encodeMagicPacket({ mac: ffMac }))).mac, ffMac);
});

Deno.test("wol: broken repetitions, short input and mutations are reported, never thrown", () => {
  const broken = VECTOR.slice();
  broken[6 + 6 * 15] ^= 1;
  assertStrictEquals(decodeMagicPacket(broken).ok, false);
  assertStrictEquals(decodeMagicPacket(VECTOR.subarray(0, WOL_PAYLOAD_LENGTH - 1)).ok, false);
  assertStrictEquals(decodeMagicPacket(new Uint8Array(0)).ok, false);
  const random = seededRandom(0x0842);
  let decodedCount = 0;
  for (let i = 0; i < 5000; i++) {
    const mutant = i % 2 === 0 ? VECTOR.slice() : new Uint8Array(below(random, 200)).fill(0xff);
    for (let flips = below(random, 4); flips > 0 && mutant.length > 0; flips--) {
      mutant[below(random, mutant.length)] = below(random, 256);
    }
    const result = decodeMagicPacket(mutant);
    if (result.ok) {
      decodedCount++;
      // Whatever decodes must be a real magic packet for the MAC it reports.
      const again = encodeMagicPacket({ mac: result.value.mac });
      const text = Array.from(mutant).join(",");
      assert(text.includes(Array.from(again).join(",")));
    }
  }
  assert(decodedCount > 0 && decodedCount < 5000, `${decodedCount} of 5000 mutants decoded`);
});
