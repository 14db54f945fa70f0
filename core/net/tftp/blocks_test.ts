import { assertStrictEquals } from "../../testing/assert.ts";
import { blockCount, blockOffset, nextBlock, unwrapBlock, wireBlock } from "./blocks.ts";
import { below, seededRandom } from "../../testing/random.ts";

Deno.test("tftp blocks: the 16-bit count wraps from 65535 to 0", () => {
  assertStrictEquals(nextBlock(0), 1);
  assertStrictEquals(nextBlock(65534), 65535);
  assertStrictEquals(nextBlock(65535), 0);
  assertStrictEquals(wireBlock(65535), 65535);
  assertStrictEquals(wireBlock(65536), 0);
  assertStrictEquals(wireBlock(65537), 1);
  assertStrictEquals(wireBlock(2 ** 40 + 7), 7);
});

Deno.test("tftp blocks: wire numbers map back to transfer positions across the wrap", () => {
  assertStrictEquals(unwrapBlock(0, 65535), 65536, "the block after 65535");
  assertStrictEquals(unwrapBlock(65535, 65536), 65535, "a late ACK from before the wrap");
  assertStrictEquals(unwrapBlock(1, 65535), 65537);
  assertStrictEquals(unwrapBlock(5, 3), 5);
  assertStrictEquals(unwrapBlock(3, 5), 3);
  assertStrictEquals(unwrapBlock(0, 0), 0);
  assertStrictEquals(unwrapBlock(65535, 0), -1, "before the start: stale");
  assertStrictEquals(unwrapBlock(32768, 0), 32768, "32768 ahead is still ahead");
  assertStrictEquals(unwrapBlock(32769, 0), -32767);
  // A 64 GiB file at blksize 512 is 2^27 blocks; far larger positions keep working.
  assertStrictEquals(unwrapBlock(2, 2 ** 40 + 65534), 2 ** 40 + 65538);
  assertStrictEquals(unwrapBlock(65534, 2 ** 45 + 1), 2 ** 45 - 2);
});

Deno.test("tftp blocks: unwrapBlock inverts wireBlock within half the number space", () => {
  const random = seededRandom(65536);
  for (let i = 0; i < 20_000; i++) {
    const current = below(random, 2 ** 36);
    const position = current - 32767 + below(random, 65536);
    assertStrictEquals(unwrapBlock(wireBlock(position), current), position);
  }
});

Deno.test("tftp blocks: counts and offsets", () => {
  assertStrictEquals(blockCount(0), 1, "an empty file is one empty DATA");
  assertStrictEquals(blockCount(511), 1);
  assertStrictEquals(blockCount(512), 2, "a multiple of the block size ends with an empty DATA");
  assertStrictEquals(blockCount(1100), 3);
  assertStrictEquals(blockCount(524300, 8), 65538);
  assertStrictEquals(blockOffset(1), 0);
  assertStrictEquals(blockOffset(3, 1468), 2936);
  assertStrictEquals(blockOffset(65537, 512), 33554432);
});
