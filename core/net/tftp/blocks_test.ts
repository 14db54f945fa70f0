import assert from "node:assert/strict";
import { blockCount, blockOffset, nextBlock, unwrapBlock, wireBlock } from "./blocks.ts";
import { below, seededRandom } from "../../testing/random.ts";

Deno.test("tftp blocks: the 16-bit count wraps from 65535 to 0", () => {
  assert.equal(nextBlock(0), 1);
  assert.equal(nextBlock(65534), 65535);
  assert.equal(nextBlock(65535), 0);
  assert.equal(wireBlock(65535), 65535);
  assert.equal(wireBlock(65536), 0);
  assert.equal(wireBlock(65537), 1);
  assert.equal(wireBlock(2 ** 40 + 7), 7);
});

Deno.test("tftp blocks: wire numbers map back to transfer positions across the wrap", () => {
  assert.equal(unwrapBlock(0, 65535), 65536, "the block after 65535");
  assert.equal(unwrapBlock(65535, 65536), 65535, "a late ACK from before the wrap");
  assert.equal(unwrapBlock(1, 65535), 65537);
  assert.equal(unwrapBlock(5, 3), 5);
  assert.equal(unwrapBlock(3, 5), 3);
  assert.equal(unwrapBlock(0, 0), 0);
  assert.equal(unwrapBlock(65535, 0), -1, "before the start: stale");
  assert.equal(unwrapBlock(32768, 0), 32768, "32768 ahead is still ahead");
  assert.equal(unwrapBlock(32769, 0), -32767);
  // A 64 GiB file at blksize 512 is 2^27 blocks; far larger positions keep working.
  assert.equal(unwrapBlock(2, 2 ** 40 + 65534), 2 ** 40 + 65538);
  assert.equal(unwrapBlock(65534, 2 ** 45 + 1), 2 ** 45 - 2);
});

Deno.test("tftp blocks: unwrapBlock inverts wireBlock within half the number space", () => {
  const random = seededRandom(65536);
  for (let i = 0; i < 20_000; i++) {
    const current = below(random, 2 ** 36);
    const position = current - 32767 + below(random, 65536);
    assert.equal(unwrapBlock(wireBlock(position), current), position);
  }
});

Deno.test("tftp blocks: counts and offsets", () => {
  assert.equal(blockCount(0), 1, "an empty file is one empty DATA");
  assert.equal(blockCount(511), 1);
  assert.equal(blockCount(512), 2, "a multiple of the block size ends with an empty DATA");
  assert.equal(blockCount(1100), 3);
  assert.equal(blockCount(524300, 8), 65538);
  assert.equal(blockOffset(1), 0);
  assert.equal(blockOffset(3, 1468), 2936);
  assert.equal(blockOffset(65537, 512), 33554432);
});
