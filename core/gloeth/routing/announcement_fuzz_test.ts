import { assert, assertEquals } from "../../testing/assert.ts";
import { below, type Random, seededRandom } from "../../testing/random.ts";
import { type Announcement, decodeAnnouncement, encodeAnnouncement, MAX_SEQUENCE } from "./announcement.ts";
import { isLinkCost } from "./link_cost.ts";
import { LinkStateDatabase } from "./link_state_db.ts";
import { isNodeId } from "./node_id.ts";
import { decodeSigned, encodeSigned } from "./signed_announcement.ts";
import { fakeSign, fakeVerify } from "./testdata/fake_signature.ts";
import { nodeIdOf } from "./testdata/mesh.ts";

// Mutation fuzzing: announcements arrive from any neighbor, so every mutant of a valid one must decode to
// a value or a DecodeError, never an exception, and the database must answer every one without throwing.
// A decoded value must re-encode to exactly the bytes it came from: the codec has one spelling per
// announcement, so a signature cannot be carried over to different-looking bytes.

const MUTANTS = 5000;

function seedFrames(): Uint8Array[] {
  return [0, 1, 3, 12].map((count) => {
    const announcement: Announcement = {
      origin: nodeIdOf(0x1000 + count),
      sequence: 7 + count,
      issuedAt: 1_764_000_000_000 + count,
      neighbors: Array.from({ length: count }, (_, i) => ({ id: nodeIdOf(i + 1), cost: 1 + i * 997 })),
    };
    const body = encodeAnnouncement(announcement);
    return encodeSigned({ body, signature: fakeSign(announcement.origin, body) });
  });
}

// Offsets inside a signed frame: the body starts after the 2-byte length.
const LENGTH_FIELDS = [0, 2 + 33]; // body length, neighbor count
const EXTREMES = [0, 1, 2, 0x0400, 0x0401, 0x7fff, 0xffff];

function mutate(random: Random, seed: Uint8Array): Uint8Array {
  switch (below(random, 6)) {
    case 0: { // flip a few bits
      const copy = seed.slice();
      for (let i = 0, n = 1 + below(random, 4); i < n; i++) {
        copy[below(random, copy.length)] ^= 1 << below(random, 8);
      }
      return copy;
    }
    case 1: // truncate
      return seed.slice(0, below(random, seed.length));
    case 2: { // append garbage
      const copy = new Uint8Array(seed.length + 1 + below(random, 40));
      copy.set(seed);
      for (let i = seed.length; i < copy.length; i++) copy[i] = below(random, 256);
      return copy;
    }
    case 3: { // a length or count field set to an extreme
      const copy = seed.slice();
      const offset = LENGTH_FIELDS[below(random, LENGTH_FIELDS.length)];
      const value = EXTREMES[below(random, EXTREMES.length)];
      if (offset + 1 < copy.length) [copy[offset], copy[offset + 1]] = [value >>> 8, value & 0xff];
      return copy;
    }
    case 4: { // random bytes overwrite a run
      const copy = seed.slice();
      const start = below(random, copy.length);
      for (let i = start; i < Math.min(copy.length, start + 1 + below(random, 20)); i++) {
        copy[i] = below(random, 256);
      }
      return copy;
    }
    default: // pure noise of a plausible length
      return Uint8Array.from({ length: below(random, 300) }, () => below(random, 256));
  }
}

function checkSane(announcement: Announcement, body: Uint8Array): void {
  assert(isNodeId(announcement.origin), "origin is a node id");
  assert(Number.isInteger(announcement.sequence) && announcement.sequence <= MAX_SEQUENCE, "sequence");
  assert(Number.isSafeInteger(announcement.issuedAt) && announcement.issuedAt >= 0, "issuedAt");
  for (const { id, cost } of announcement.neighbors) {
    assert(isNodeId(id) && isLinkCost(cost), `neighbor ${id} ${cost}`);
  }
  assertEquals(encodeAnnouncement(announcement), body);
}

Deno.test(`announcement fuzz: ${MUTANTS} mutants decode or fail, never throw; the database never throws`, () => {
  const random = seededRandom(0x6c5a);
  const seeds = seedFrames();
  let now = 0;
  const database = new LinkStateDatabase(nodeIdOf(0xffff), fakeVerify, () => now);
  const outcomes = { framingFailed: 0, bodyFailed: 0, decoded: 0, new: 0, stale: 0, invalid: 0 };
  for (let i = 0; i < MUTANTS; i++) {
    const mutant = mutate(random, seeds[below(random, seeds.length)]);
    now += 1000;
    const framed = decodeSigned(mutant);
    // The body decoder meets raw mutants too: whatever a framing bug might let through.
    const raw = decodeAnnouncement(mutant.subarray(2));
    if (raw.ok) checkSane(raw.value, mutant.subarray(2));
    if (!framed.ok) {
      outcomes.framingFailed++;
      continue;
    }
    const body = decodeAnnouncement(framed.value.body);
    if (body.ok) {
      outcomes.decoded++;
      checkSane(body.value, framed.value.body);
    } else {
      outcomes.bodyFailed++;
    }
    const verdict = database.offer(framed.value);
    outcomes[verdict]++;
    if (verdict === "new") {
      assert(body.ok && fakeVerify(body.value.origin, framed.value.body, framed.value.signature));
    }
  }
  // Every path was exercised, not just the first length check.
  for (const [outcome, count] of Object.entries(outcomes)) assert(count > 0, `no mutant ended ${outcome}`);
});
