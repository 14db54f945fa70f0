import { assert, assertEquals, assertRejects } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";
import { decodeMessage, encodeMessage } from "./messages.ts";
import { type ByteStream, MAX_RECORD, RecordError, RecordReader, RecordWriter } from "./stream.ts";

/** A stream over fixed bytes that hands them out in random chunk sizes, as TCP may. */
function choppy(bytes: Uint8Array, seed: number): ByteStream {
  const random = seededRandom(seed);
  let offset = 0;
  return {
    read(buffer) {
      if (offset >= bytes.length) return Promise.resolve(null);
      const count = Math.min(buffer.length, bytes.length - offset, 1 + below(random, 3000));
      buffer.set(bytes.subarray(offset, offset + count));
      offset += count;
      return Promise.resolve(count);
    },
    write: () => Promise.reject(new Error("read-only")),
  };
}

function sink(): ByteStream & { bytes(): Uint8Array; writes: number } {
  const parts: Uint8Array[] = [];
  const stream = {
    writes: 0,
    read: () => Promise.resolve(null),
    write(bytes: Uint8Array) {
      stream.writes++;
      parts.push(bytes.slice());
      return Promise.resolve(bytes.length);
    },
    bytes: () => {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        all.set(p, offset);
        offset += p.length;
      }
      return all;
    },
  };
  return stream;
}

Deno.test("link records: whatever the chunking, every record comes back whole and in order", async () => {
  const random = seededRandom(7);
  const records = Array.from(
    { length: 300 },
    (_, i) =>
      i === 0 ? new Uint8Array(0) : i === 1 ? new Uint8Array(MAX_RECORD).fill(9) : Uint8Array.from(
        { length: below(random, 20_000) },
        () => below(random, 256),
      ),
  );
  const out = sink();
  const writer = new RecordWriter(out, 64 * 1024 * 1024);
  for (const record of records) assert(writer.send(record));
  await writer.drained();
  assert(
    out.writes < records.length,
    `${out.writes} writes for ${records.length} records: nothing coalesced`,
  );
  for (const seed of [1, 2, 3]) {
    const reader = new RecordReader(choppy(out.bytes(), seed));
    for (const record of records) assertEquals(await reader.next(), record);
    assertEquals(await reader.next(), null);
  }
});

Deno.test("link records: an oversized length or a cut record ends the link; a full queue refuses", async () => {
  const huge = new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]);
  await assertRejects(() => new RecordReader(choppy(huge, 1)).next(), RecordError);
  const cut = new Uint8Array([0, 0, 0, 10, 1, 2, 3]);
  await assertRejects(() => new RecordReader(choppy(cut, 1)).next(), RecordError);
  const cutHeader = new Uint8Array([0, 0]);
  await assertRejects(() => new RecordReader(choppy(cutHeader, 1)).next(), RecordError);
  const writer = new RecordWriter(sink(), 100);
  assert(writer.send(new Uint8Array(90)));
  assert(!writer.send(new Uint8Array(10)), "a record past the queue limit was accepted");
  await writer.drained();
  assert(writer.send(new Uint8Array(90)), "the queue did not drain");
});

Deno.test("link messages: types round-trip; unknown and empty records are reported", () => {
  const message = encodeMessage("ping", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  const decoded = decodeMessage(message);
  assert(decoded.ok);
  assertEquals([decoded.value.type, [...decoded.value.body]], ["ping", [1, 2, 3, 4, 5, 6, 7, 8]]);
  assert(!decodeMessage(new Uint8Array(0)).ok);
  assert(!decodeMessage(new Uint8Array([99])).ok);
  for (let type = 0; type < 256; type++) decodeMessage(new Uint8Array([type, 1, 2]));
});

Deno.test("link records: below() waits for the queue to drain to its mark, and for a failed writer", async () => {
  // A stream whose writes finish only when the test lets them: the queue's size is the test's to see.
  const pending: (() => void)[] = [];
  const gated: ByteStream = {
    read: () => Promise.resolve(null),
    write: (bytes) => new Promise((resolve) => pending.push(() => resolve(bytes.length))),
  };
  const writer = new RecordWriter(gated, 1024 * 1024);
  await writer.below(0); // empty: at once
  assert(writer.send(new Uint8Array(1000)));
  assertEquals(writer.queuedBytes, 1004);
  assert(writer.send(new Uint8Array(2000)));
  assert(writer.send(new Uint8Array(3000)));
  let settled = false;
  const waiting = writer.below(3004).then(() => settled = true);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals(pending.length, 1, "one write in flight");
  pending.shift()!(); // the first record is written; the other two are coalesced into the next write
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals([settled, writer.queuedBytes], [false, 5008], "woken with more queued than its mark");
  pending.shift()!();
  await waiting;
  assertEquals(writer.queuedBytes, 0);

  const failing = new RecordWriter({
    read: () => Promise.resolve(null),
    write: () => new Promise((_, reject) => setTimeout(() => reject(new Error("reset")), 5)),
  });
  assert(failing.send(new Uint8Array(100)));
  await failing.below(0); // a writer that failed wakes its waiters instead of holding them forever
  await assertRejects(() => failing.drained());
});

Deno.test("link records: hasRecord says whether next() can answer without the stream", async () => {
  // Two records in one chunk, then a third cut after its length: only the first two are whole.
  const chunks = [new Uint8Array([0, 0, 0, 1, 7, 0, 0, 0, 2, 8, 9, 0, 0, 0, 3, 1]), new Uint8Array([2, 3])];
  const reader = new RecordReader({
    read(buffer) {
      const chunk = chunks.shift();
      if (chunk === undefined) return Promise.resolve(null);
      buffer.set(chunk);
      return Promise.resolve(chunk.length);
    },
    write: () => Promise.reject(new Error("read-only")),
  });
  assertEquals(reader.hasRecord, false, "nothing read yet");
  assertEquals([...(await reader.next())!], [7]);
  assertEquals(reader.hasRecord, true);
  assertEquals([...(await reader.next())!], [8, 9]);
  assertEquals(reader.hasRecord, false, "the third record is cut");
  assertEquals([...(await reader.next())!], [1, 2, 3]);
  assertEquals(reader.hasRecord, false);
  assertEquals(await reader.next(), null);
});
