import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { encodeAnnouncement, type Neighbor } from "./announcement.ts";
import { LinkStateDatabase } from "./link_state_db.ts";
import type { SignedAnnouncement } from "./signed_announcement.ts";
import { fakeSign, fakeVerify, signerFor } from "./testdata/fake_signature.ts";

const A = "a".repeat(32), B = "b".repeat(32), C = "c".repeat(32);

function setup(self = A) {
  const clock = { now: 1_000 };
  let verifications = 0;
  const verify = (origin: string, body: Uint8Array, signature: Uint8Array) => {
    verifications++;
    return fakeVerify(origin, body, signature);
  };
  const database = new LinkStateDatabase(self, verify, () => clock.now);
  return { clock, database, verifications: () => verifications };
}

function announce(origin: string, sequence: number, neighbors: Neighbor[]): SignedAnnouncement {
  const body = encodeAnnouncement({ origin, sequence, issuedAt: 5, neighbors });
  return { body, signature: fakeSign(origin, body) };
}

Deno.test("link-state db: only a higher sequence is new; duplicates and older ones are stale", () => {
  const { database } = setup();
  assertEquals(database.offer(announce(B, 5, [{ id: A, cost: 3 }])), "new");
  assertEquals(database.offer(announce(B, 5, [{ id: A, cost: 3 }])), "stale");
  assertEquals(database.offer(announce(B, 5, [{ id: C, cost: 1 }])), "stale");
  assertEquals(database.offer(announce(B, 4, [])), "stale");
  assertEquals(database.get(B)?.neighbors, [{ id: A, cost: 3 }]);
  assertEquals(database.offer(announce(B, 6, [])), "new");
  assertEquals(database.get(B)?.sequence, 6);
});

Deno.test("link-state db: bad signatures and malformed bodies are invalid and change nothing", () => {
  const { database } = setup();
  const good = announce(B, 2, [{ id: A, cost: 1 }]);
  const tampered = good.signature.slice();
  tampered[10] ^= 1;
  assertEquals(database.offer({ body: good.body, signature: tampered }), "invalid");
  assertEquals(database.offer({ body: good.body, signature: good.signature.subarray(1) }), "invalid");
  // Signed by C's key but claiming to be from B.
  assertEquals(database.offer({ body: good.body, signature: fakeSign(C, good.body) }), "invalid");
  assertEquals(database.offer({ body: good.body.subarray(1), signature: good.signature }), "invalid");
  assertEquals(database.get(B), undefined);
  assertEquals(database.offer(good), "new");
});

Deno.test("link-state db: duplicates are refused before the signature is checked", () => {
  const { database, verifications } = setup();
  const signed = announce(B, 1, []);
  database.offer(signed);
  for (let i = 0; i < 5; i++) database.offer(signed);
  assertEquals(verifications(), 1);
});

Deno.test("link-state db: what is stored is a copy, not the caller's buffers", () => {
  const { database } = setup();
  const signed = announce(B, 1, [{ id: A, cost: 9 }]);
  const originalBody = signed.body.slice();
  database.offer(signed);
  signed.body.fill(0);
  signed.signature.fill(0);
  const stored = database.all().find((s) => fakeVerify(B, s.body, s.signature));
  assertEquals(stored?.body, originalBody);
});

Deno.test("link-state db: an edge counts only when both ends announce it, at the larger cost", () => {
  const { database } = setup();
  database.originate([{ id: B, cost: 4 }, { id: C, cost: 2 }], signerFor(A));
  database.offer(announce(B, 1, [{ id: A, cost: 7 }, { id: C, cost: 1 }]));
  // C claims nothing back: a node it never connected to, or one it lost.
  database.offer(announce(C, 1, []));
  assertEquals(
    database.graph(),
    new Map([
      [A, new Map([[B, 7]])],
      [B, new Map([[A, 7]])],
      [C, new Map()],
    ]),
  );
});

Deno.test("link-state db: originate counts up, stamps the clock, is included in all()", () => {
  const { database, clock } = setup(B);
  database.offer(announce(C, 3, []));
  database.offer(announce(A, 1, []));
  const first = database.originate([{ id: A, cost: 1 }], signerFor(B));
  clock.now = 2_500;
  const second = database.originate([], signerFor(B));
  assertEquals(database.get(B), { origin: B, sequence: 2, issuedAt: 2_500, neighbors: [] });
  assertEquals(fakeVerify(B, first.body, first.signature), true);
  // Sorted by origin: A, B (ours), C.
  assertEquals(database.all().map((signed) => signed.body[5]), [0xaa, 0xbb, 0xcc]);
  assertEquals(database.all()[1], second);
  assertThrows(() => database.originate([], () => new Uint8Array(63)), RangeError);
});

Deno.test("link-state db: expire drops what arrived more than maxAgeMs ago, never our own", () => {
  const { database, clock } = setup();
  database.originate([{ id: B, cost: 1 }], signerFor(A));
  database.offer(announce(B, 1, [{ id: A, cost: 1 }]));
  clock.now += 30_000;
  database.offer(announce(C, 1, []));
  clock.now += 30_000; // B's is exactly 60 s old: not yet older than maxAgeMs
  assertEquals(database.expire(), []);
  clock.now += 1;
  assertEquals(database.expire(), [B]);
  assertEquals(database.get(B), undefined);
  clock.now += 1_000_000;
  assertEquals(database.expire(), [C]);
  assertEquals(database.get(A)?.sequence, 1);
  // Once forgotten, any sequence from B is new again (B may have restarted from 1).
  assertEquals(database.offer(announce(B, 1, [])), "new");
});

Deno.test("link-state db: after a restart, our own older announcement makes originate jump past it", () => {
  const before = setup(A);
  for (let i = 0; i < 5; i++) before.database.originate([{ id: B, cost: 1 }], signerFor(A));
  const peer = setup(B);
  assertEquals(peer.database.offer(before.database.all()[0]), "new");

  const after = setup(A); // the restart: all state lost
  const fresh = after.database.originate([{ id: C, cost: 1 }], signerFor(A));
  assertEquals(peer.database.offer(fresh), "stale"); // sequence 1 against the mesh's 5
  assertEquals(after.database.needsOriginate, false);
  const [fromLastRun] = peer.database.all(); // the peer syncs us
  assertEquals(after.database.offer(fromLastRun), "stale"); // not flooded: it is about to be superseded
  assertEquals(after.database.needsOriginate, true);
  assertEquals(after.database.get(A)?.neighbors, [{ id: C, cost: 1 }]); // not adopted either
  const caughtUp = after.database.originate([{ id: C, cost: 1 }], signerFor(A));
  assertEquals(after.database.get(A)?.sequence, 6);
  assertEquals(after.database.needsOriginate, false);
  assertEquals(peer.database.offer(caughtUp), "new");
});

Deno.test("link-state db: a restart that reused our current sequence number is caught too", () => {
  const before = setup(A);
  const peer = setup(B);
  peer.database.offer(before.database.originate([{ id: B, cost: 1 }], signerFor(A)));
  const after = setup(A);
  after.clock.now = 9_000; // a different issued-at, so different bytes at the same sequence
  const ours = after.database.originate([{ id: B, cost: 1 }], signerFor(A));
  assertEquals(peer.database.offer(ours), "stale");
  assertEquals(after.database.offer(ours), "stale"); // our own newest echoed back: nothing to do
  assertEquals(after.database.needsOriginate, false);
  assertEquals(after.database.offer(peer.database.all()[0]), "stale");
  assertEquals(after.database.needsOriginate, true);
  assertEquals(peer.database.offer(after.database.originate([{ id: B, cost: 1 }], signerFor(A))), "new");
});

Deno.test("link-state db: a forged announcement in our name cannot push our sequence up", () => {
  const { database } = setup();
  database.originate([], signerFor(A));
  const body = encodeAnnouncement({ origin: A, sequence: 0xffff_fff0, issuedAt: 0, neighbors: [] });
  assertEquals(database.offer({ body, signature: fakeSign(B, body) }), "invalid");
  assertEquals(database.needsOriginate, false);
  database.originate([], signerFor(A));
  assertEquals(database.get(A)?.sequence, 2);
});

Deno.test("link-state db: the last sequence number is the last, there is no wrap", () => {
  const { database } = setup();
  const body = encodeAnnouncement({ origin: A, sequence: 0xffff_ffff, issuedAt: 0, neighbors: [] });
  database.offer({ body, signature: fakeSign(A, body) });
  assertThrows(() => database.originate([], signerFor(A)), RangeError);
});

Deno.test("link-state db: the node's own id must be a node id", () => {
  assertThrows(() => new LinkStateDatabase("A".repeat(32), fakeVerify, () => 0));
});
