import { assertEquals } from "../../testing/assert.ts";
import { encodeAnnouncement } from "./announcement.ts";
import { Mesh } from "./testdata/mesh.ts";
import { fakeSign } from "./testdata/fake_signature.ts";

// Whole-mesh scenarios: databases exchanging announcements the way the link layer will, routes computed
// from what each node ends up knowing.

const [A, B, C, D, E] = ["a", "b", "c", "d", "e"].map((letter) => letter.repeat(32));

function startAll(mesh: Mesh, ids: string[], links: [string, string][]): void {
  for (const id of ids) mesh.start(id);
  for (const [x, y] of links) mesh.link(x, y);
  for (const id of ids) mesh.originate(id);
}

function ring(): Mesh {
  const mesh = new Mesh();
  startAll(mesh, [A, B, C, D], [[A, B], [B, C], [C, D], [D, A]]);
  return mesh;
}

Deno.test("scenario: in a chain A–B–C, A reaches C through B", () => {
  const mesh = new Mesh();
  startAll(mesh, [A, B, C], [[A, B], [B, C]]);
  assertEquals(mesh.routes(A), new Map([[B, { nextHop: B, cost: 1 }], [C, { nextHop: B, cost: 2 }]]));
  assertEquals(mesh.routes(C).get(A), { nextHop: B, cost: 2 });
});

Deno.test("scenario: ring A–B–C–D–A; B's announcements expire, traffic moves to D; B returns", () => {
  const mesh = ring();
  assertEquals(mesh.routes(A).get(C), { nextHop: B, cost: 2 }); // tie: B < D

  // B dies and nobody notices at the link level: A and C go on listing it. Their refreshes keep
  // themselves alive; B's announcement is not refreshed and ages out everywhere.
  mesh.stop(B);
  for (let t = 20_000; t <= 60_000; t += 20_000) {
    mesh.now = t;
    mesh.refreshAll();
  }
  mesh.now = 60_001;
  const expired = mesh.expireAll();
  for (const id of [A, C, D]) assertEquals(expired.get(id), [B]);
  // A still claims B, but B no longer claims A: the edge is gone.
  assertEquals(mesh.routes(A).get(C), { nextHop: D, cost: 2 });
  assertEquals(mesh.routes(A).get(B), undefined);
  assertEquals(mesh.routes(C).get(A), { nextHop: D, cost: 2 });

  // B restarts with no state; its links come back up.
  mesh.start(B);
  mesh.originate(B);
  mesh.sync(A, B);
  mesh.sync(B, C);
  assertEquals(mesh.routes(A).get(C), { nextHop: B, cost: 2 });
  assertEquals(mesh.routes(D).get(B), { nextHop: A, cost: 2 });
});

Deno.test("scenario: ring; B's links are seen to drop, traffic moves at once, B returns and catches up", () => {
  const mesh = ring();
  for (let i = 0; i < 3; i++) mesh.originate(B); // B's sequence is now 4 everywhere
  mesh.stop(B);
  mesh.unlinkAt(A, B);
  mesh.unlinkAt(C, B);
  mesh.originate(A);
  mesh.originate(C);
  // B's announcement is still held everywhere, but nobody vouches for its links any more.
  assertEquals(mesh.database(A).get(B)?.sequence, 4);
  assertEquals(mesh.routes(A).get(C), { nextHop: D, cost: 2 });
  assertEquals(mesh.routes(D).get(B), undefined);

  // B comes back within maxAgeMs: its sequence 1 is stale to the mesh until the sync shows it its 4.
  mesh.start(B);
  mesh.link(A, B);
  mesh.link(B, C);
  mesh.originate(B);
  assertEquals(mesh.database(A).get(B)?.sequence, 4);
  mesh.sync(A, B); // B meets its own 4, originates 5 and floods it
  mesh.sync(B, C);
  mesh.originate(A);
  mesh.originate(C);
  assertEquals(mesh.database(D).get(B)?.sequence, 5);
  assertEquals(mesh.routes(A).get(C), { nextHop: B, cost: 2 });
  assertEquals(mesh.routes(D).get(B), { nextHop: A, cost: 2 });
});

Deno.test("scenario: one-sided claims attract no traffic", () => {
  const mesh = ring();
  // E holds a valid key and claims fast links to everyone; nobody claims E back.
  const body = encodeAnnouncement({
    origin: E,
    sequence: 1,
    issuedAt: 0,
    neighbors: [A, B, C, D].map((id) => ({ id, cost: 1 })),
  });
  assertEquals(mesh.database(A).offer({ body, signature: fakeSign(E, body) }), "new");
  assertEquals(mesh.routes(A).get(E), undefined);
  assertEquals(mesh.routes(A).get(C), { nextHop: B, cost: 2 });
  // And a node that lists a neighbor which does not list it back is cut off from that neighbor only.
  mesh.unlinkAt(C, D); // C stops claiming D; D still claims C
  mesh.originate(C);
  assertEquals(mesh.routes(D).get(C), { nextHop: A, cost: 3 });
});

Deno.test("scenario: flooding reaches everyone and then stops", () => {
  const mesh = ring();
  const before = mesh.sent;
  mesh.originate(A);
  // A→B and A→D (new, forwarded), B→C (new, forwarded to D), D→C and C→D (stale, dropped).
  assertEquals(mesh.sent - before, 5);
  for (const id of [B, C, D]) assertEquals(mesh.database(id).get(A)?.sequence, 2);
});
