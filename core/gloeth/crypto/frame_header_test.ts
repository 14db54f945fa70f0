import {
  encodeFrameHeader,
  FRAME_HEADER_LENGTH,
  FRAME_KIND_BROADCAST_COPY,
  FRAME_KIND_UNICAST,
  type FrameHeader,
  MIN_SEALED_FRAME_LENGTH,
  parseFrameHeader,
} from "./frame_header.ts";
import { toHex } from "./testdata/hex.ts";
import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { unwrap } from "../../net/errors.ts";

const HEADER: FrameHeader = {
  kind: FRAME_KIND_BROADCAST_COPY,
  source: "0102030405060708090a0b0c0d0e0f10",
  destination: "a1a2a3a4a5a6a7a8a9aaabacadaeafb0",
  counter: 0x0102_0304_0506,
};

const withTag = (header: Uint8Array) => {
  const packet = new Uint8Array(MIN_SEALED_FRAME_LENGTH);
  packet.set(header);
  return packet;
};

Deno.test("frame header: the documented 42-byte layout", () => {
  const bytes = encodeFrameHeader(HEADER);
  assertEquals(bytes.length, FRAME_HEADER_LENGTH);
  assertEquals(
    toHex(bytes),
    "01" + "02" + "0102030405060708090a0b0c0d0e0f10" + "a1a2a3a4a5a6a7a8a9aaabacadaeafb0" +
      "0000010203040506",
  );
  assertEquals(unwrap(parseFrameHeader(withTag(bytes))), HEADER);
});

Deno.test("frame header: counters up to 2^53 - 1 round trip exactly; beyond is malformed", () => {
  for (const counter of [0, 1, 0xffff_ffff, 0x1_0000_0000, Number.MAX_SAFE_INTEGER]) {
    const header = { ...HEADER, kind: FRAME_KIND_UNICAST, counter } as const;
    assertEquals(unwrap(parseFrameHeader(withTag(encodeFrameHeader(header)))).counter, counter);
  }
  const packet = withTag(encodeFrameHeader({ ...HEADER, counter: Number.MAX_SAFE_INTEGER }));
  packet[35] = 0x20; // the high 32 bits become 0x0020_ffff: above 2^53
  assert(!parseFrameHeader(packet).ok);
  assertThrows(() => encodeFrameHeader({ ...HEADER, counter: 2 ** 53 }), RangeError);
  assertThrows(() => encodeFrameHeader({ ...HEADER, counter: -1 }), RangeError);
});

Deno.test("frame header: unknown version or kind, and anything shorter than header and tag, are malformed", () => {
  const good = withTag(encodeFrameHeader(HEADER));
  for (const [offset, value] of [[0, 0], [0, 2], [0, 0xff], [1, 0], [1, 3], [1, 0xff]]) {
    const packet = good.slice();
    packet[offset] = value;
    const result = parseFrameHeader(packet);
    assert(!result.ok, `byte ${offset} = ${value}`);
  }
  for (let length = 0; length < MIN_SEALED_FRAME_LENGTH; length++) {
    assert(!parseFrameHeader(good.subarray(0, length)).ok, `length ${length}`);
  }
});

Deno.test("frame header: encoding refuses kinds and ids that are not valid", () => {
  assertThrows(() => encodeFrameHeader({ ...HEADER, kind: 3 as 1 }), RangeError);
  assertThrows(() => encodeFrameHeader({ ...HEADER, source: "node-a" }));
});
