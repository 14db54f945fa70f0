import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { hex } from "../../net/testdata/captures.ts";
import { unwrap } from "../../net/errors.ts";
import {
  type Announcement,
  decodeAnnouncement,
  encodeAnnouncement,
  MAX_ANNOUNCEMENT_LENGTH,
  MAX_NEIGHBORS,
} from "./announcement.ts";
import { linkCost } from "./link_cost.ts";
import { nodeIdOf } from "./testdata/mesh.ts";

const EXAMPLE: Announcement = {
  origin: "0123456789abcdef0123456789abcdef",
  sequence: 0x01020304,
  issuedAt: 1_764_000_000_000, // 0x0000019a_b697e800
  neighbors: [
    { id: "00112233445566778899aabbccddeeff", cost: 258 },
    { id: "fedcba9876543210fedcba9876543210", cost: 1 },
  ],
};

const EXAMPLE_BYTES = hex(
  "676c7361" + // magic "glsa"
    "01" + // version 1
    "0123456789abcdef0123456789abcdef" + // origin
    "01020304" + // sequence
    "0000019ab697e800" + // issued at, ms
    "0002" + // two neighbors
    "00112233445566778899aabbccddeeff" + "0102" + // neighbor 1, cost 258
    "fedcba9876543210fedcba9876543210" + "0001", // neighbor 2, cost 1
);

function failure(bytes: Uint8Array): string {
  const result = decodeAnnouncement(bytes);
  assert(!result.ok, "expected a decode failure");
  return result.error.message;
}

function withByte(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  copy[offset] = value;
  return copy;
}

Deno.test("announcement: encodes to the documented layout and decodes back", () => {
  assertEquals(encodeAnnouncement(EXAMPLE), EXAMPLE_BYTES);
  assertEquals(unwrap(decodeAnnouncement(EXAMPLE_BYTES)), EXAMPLE);
});

Deno.test("announcement: no neighbors is the 35-byte header alone", () => {
  const lonely = { ...EXAMPLE, sequence: 0xffff_ffff, issuedAt: Number.MAX_SAFE_INTEGER, neighbors: [] };
  const bytes = encodeAnnouncement(lonely);
  assertEquals(
    bytes,
    hex(
      "676c7361" + "01" + "0123456789abcdef0123456789abcdef" +
        "ffffffff" + // the largest sequence
        "001fffffffffffff" + // 2^53 - 1 ms, the largest issued-at a number holds exactly
        "0000", // no neighbors
    ),
  );
  assertEquals(unwrap(decodeAnnouncement(bytes)), lonely);
});

Deno.test("announcement: 1024 neighbors round-trip, 1025 do not encode", () => {
  const neighbors = Array.from({ length: MAX_NEIGHBORS }, (_, i) => ({ id: nodeIdOf(i + 1), cost: i + 1 }));
  const full = { ...EXAMPLE, origin: nodeIdOf(0), neighbors };
  const bytes = encodeAnnouncement(full);
  assertEquals(bytes.length, MAX_ANNOUNCEMENT_LENGTH);
  assertEquals(unwrap(decodeAnnouncement(bytes)), full);
  const tooMany = [...neighbors, { id: nodeIdOf(MAX_NEIGHBORS + 1), cost: 1 }];
  assertThrows(() => encodeAnnouncement({ ...full, neighbors: tooMany }), RangeError);
});

Deno.test("announcement: lengths and counts from the wire are checked, not trusted", () => {
  assertEquals(failure(new Uint8Array(0)), "gloeth announcement: 0 bytes, the header alone is 35");
  assertEquals(
    failure(EXAMPLE_BYTES.subarray(0, 34)),
    "gloeth announcement: 34 bytes, the header alone is 35",
  );
  assertEquals(
    failure(EXAMPLE_BYTES.subarray(0, EXAMPLE_BYTES.length - 1)),
    "gloeth announcement: 70 bytes, neighbor count 2 makes 71",
  );
  const trailing = new Uint8Array(EXAMPLE_BYTES.length + 1);
  trailing.set(EXAMPLE_BYTES);
  assertEquals(failure(trailing), "gloeth announcement: 72 bytes, neighbor count 2 makes 71");
  // A count of 0xffff would make a decoder that trusts it allocate and read 1.2 MB.
  assertEquals(
    failure(withByte(withByte(EXAMPLE_BYTES, 33, 0xff), 34, 0xff)),
    "gloeth announcement: neighbor count 65535, at most 1024",
  );
  assertEquals(
    failure(withByte(EXAMPLE_BYTES, 34, 0x01)),
    "gloeth announcement: 71 bytes, neighbor count 1 makes 53",
  );
});

Deno.test("announcement: other messages, versions and non-canonical contents are refused", () => {
  assertEquals(failure(withByte(EXAMPLE_BYTES, 0, 0x47)), 'gloeth announcement: magic is not "glsa"');
  assertEquals(failure(withByte(EXAMPLE_BYTES, 4, 2)), "gloeth announcement: unknown version 2");
  // Issued-at high word 0x00200000: 2^53 ms, past what a number holds exactly.
  assertEquals(
    failure(withByte(withByte(EXAMPLE_BYTES, 26, 0x20), 27, 0)),
    "gloeth announcement: issued-at time beyond 2^53 ms",
  );
  const zeroCost = withByte(EXAMPLE_BYTES, 69, 0) as Uint8Array;
  zeroCost[70] = 0;
  assertEquals(failure(zeroCost), "gloeth announcement: cost to fedcba9876543210fedcba9876543210 is 0");
  const duplicate = EXAMPLE_BYTES.slice();
  duplicate.copyWithin(53, 35, 51); // neighbor 2's id := neighbor 1's
  assertEquals(
    failure(duplicate),
    "gloeth announcement: neighbor 00112233445566778899aabbccddeeff is listed twice",
  );
  const selfLoop = EXAMPLE_BYTES.slice();
  selfLoop.copyWithin(35, 5, 21); // neighbor 1's id := the origin
  assertEquals(failure(selfLoop), "gloeth announcement: the origin lists itself as a neighbor");
});

Deno.test("announcement: values without an encoding throw instead of being truncated", () => {
  const bad: Partial<Announcement>[] = [
    { origin: "0123456789ABCDEF0123456789ABCDEF" },
    { origin: "0123" },
    { sequence: -1 },
    { sequence: 0x1_0000_0000 },
    { sequence: 1.5 },
    { issuedAt: -1 },
    { issuedAt: 2 ** 53 },
    { issuedAt: 0.5 },
    { neighbors: [{ id: EXAMPLE.origin, cost: 1 }] },
    { neighbors: [{ id: nodeIdOf(1), cost: 1 }, { id: nodeIdOf(1), cost: 2 }] },
    { neighbors: [{ id: nodeIdOf(1), cost: 0 }] },
    { neighbors: [{ id: nodeIdOf(1), cost: 65_536 }] },
    { neighbors: [{ id: nodeIdOf(1), cost: 2.5 }] },
    { neighbors: [{ id: "not an id", cost: 1 }] },
  ];
  for (const change of bad) {
    assertThrows(() => encodeAnnouncement({ ...EXAMPLE, ...change }));
  }
});

Deno.test("link cost: RTT in whole ms, clamped to 1..65535, 1 when unmeasured", () => {
  assertEquals(linkCost(), 1);
  assertEquals(linkCost(Number.NaN), 1);
  assertEquals(linkCost(0), 1);
  assertEquals(linkCost(0.4), 1);
  assertEquals(linkCost(12.6), 13);
  assertEquals(linkCost(65_535), 65_535);
  assertEquals(linkCost(1e9), 65_535);
  assertEquals(linkCost(Number.POSITIVE_INFINITY), 1);
});
