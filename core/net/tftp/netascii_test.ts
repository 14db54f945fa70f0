import { toHexString } from "../bytes.ts";
import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import {
  decodeNetascii,
  encodeNetascii,
  NetasciiDecoder,
  NetasciiEncoder,
  netasciiLength,
} from "./netascii.ts";
import { below, seededRandom } from "../../testing/random.ts";

const bytesOf = (text: string) => new TextEncoder().encode(text);
const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Local bytes biased towards CR, LF and NUL, the bytes netascii is about. */
function randomLocal(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => [0x0d, 0x0a, 0x00, 0x41][below(random, 4)]);
}

Deno.test("netascii: LF becomes CR LF, CR becomes CR NUL, and back", () => {
  const local = bytesOf("line one\nline two\r\nbare cr\r end\n");
  const wire = "line one\r\nline two\r\0\r\nbare cr\r\0 end\r\n";
  assertStrictEquals(textOf(encodeNetascii(local)), wire);
  assertStrictEquals(netasciiLength(local), wire.length);
  assertEquals(decodeNetascii(bytesOf(wire)), local);
  assertEquals(encodeNetascii(new Uint8Array(0)), new Uint8Array(0));
  assertEquals(encodeNetascii(bytesOf("\r\r\n\n")), bytesOf("\r\0\r\0\r\n\r\n"));
});

Deno.test("netascii: lenient decoding of what netascii does not allow", () => {
  // A bare LF stays LF, a CR before another byte stays CR, a CR at the very end is released by finish.
  assertStrictEquals(textOf(decodeNetascii(bytesOf("a\nb\rc\r\r\n"))), "a\nb\rc\r\n");
  assertStrictEquals(textOf(decodeNetascii(bytesOf("end\r"))), "end\r");
});

Deno.test("netascii: a CR at the end of one block and its LF or NUL at the start of the next", () => {
  const decoder = new NetasciiDecoder();
  assertStrictEquals(textOf(decoder.decode(bytesOf("one\r"))), "one");
  assertStrictEquals(decoder.pending, true);
  assertStrictEquals(textOf(decoder.decode(bytesOf("\ntwo\r"))), "\ntwo");
  assertStrictEquals(textOf(decoder.decode(bytesOf("\0three\r"))), "\rthree");
  assertStrictEquals(textOf(decoder.decode(new Uint8Array(0))), "", "an empty block keeps the CR held");
  assertStrictEquals(textOf(decoder.decode(bytesOf("x"))), "\rx");
  assertStrictEquals(decoder.pending, false);
  assertEquals(decoder.finish(), new Uint8Array(0));
});

Deno.test("netascii: decoding in any split gives the same bytes as decoding at once", () => {
  const random = seededRandom(1350);
  for (let round = 0; round < 300; round++) {
    const local = randomLocal(random, below(random, 60));
    const wire = encodeNetascii(local);
    assertEquals(decodeNetascii(wire), local);
    const decoder = new NetasciiDecoder();
    const out = new Uint8Array(wire.length + 1);
    let written = 0;
    for (let at = 0; at < wire.length;) {
      const size = below(random, 4);
      const chunk = wire.subarray(at, at + size);
      written += decoder.decodeInto(chunk, out, written);
      at += chunk.length;
    }
    const tail = decoder.finish();
    out.set(tail, written);
    assertStrictEquals(
      toHexString(out.subarray(0, written + tail.length)),
      toHexString(local),
      `round ${round}`,
    );
  }
});

Deno.test("netascii: the encoder fills blocks exactly, carrying half a pair to the next", () => {
  const random = seededRandom(2347);
  for (let round = 0; round < 300; round++) {
    const local = randomLocal(random, below(random, 80));
    const blockSize = 1 + below(random, 9);
    const encoder = new NetasciiEncoder();
    const blocks: Uint8Array[] = [];
    let read = 0;
    for (;;) {
      const block = new Uint8Array(blockSize);
      const step = encoder.encodeInto(local.subarray(read), block);
      read += step.read;
      blocks.push(block.subarray(0, step.written));
      if (step.written < blockSize) break; // the short block ends the transfer
    }
    assertStrictEquals(read, local.length);
    assertStrictEquals(encoder.pending, false);
    const wire = new Uint8Array(blocks.reduce((sum, block) => sum + block.length, 0));
    blocks.reduce((offset, block) => (wire.set(block, offset), offset + block.length), 0);
    assertEquals(wire, encodeNetascii(local), `round ${round}`);
    for (const block of blocks.slice(0, -1)) assertStrictEquals(block.length, blockSize);
  }
});

Deno.test("netascii: a pair split by a one-byte block", () => {
  const encoder = new NetasciiEncoder();
  const block = new Uint8Array(1);
  assertEquals(encoder.encodeInto(bytesOf("\n"), block), { read: 1, written: 1 });
  assertStrictEquals(toHexString(block), "0d");
  assertStrictEquals(encoder.pending, true);
  assertEquals(encoder.encodeInto(new Uint8Array(0), block), { read: 0, written: 1 });
  assertStrictEquals(toHexString(block), "0a");
  assertEquals(encoder.encodeInto(new Uint8Array(0), block), { read: 0, written: 0 });
});

Deno.test("netascii: decodeInto needs room for a held CR and the chunk", () => {
  const decoder = new NetasciiDecoder();
  assertStrictEquals(decoder.decodeInto(bytesOf("ab\r"), new Uint8Array(3)), 2);
  assertStrictEquals(decoder.maxOutputLength(2), 3);
  assertThrows(() => decoder.decodeInto(bytesOf("xy"), new Uint8Array(2)), RangeError);
  const out = new Uint8Array(3);
  assertStrictEquals(decoder.decodeInto(bytesOf("xy"), out), 3);
  assertStrictEquals(textOf(out), "\rxy");
});
