// The wasm frame path through its TypeScript face: three nodes in one process, a chain a–b–c, records
// carried by hand between them.
import { assert, assertEquals } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";
import { nodeIdToBytes } from "../crypto/node_id.ts";
import { Inbound, WasmFramePath } from "./frame_path.ts";

const RECORD_TYPE = 5;
const ids = { a: "aa".repeat(16), b: "bb".repeat(16), c: "cc".repeat(16), d: "dd".repeat(16) };
const key = (byte: number) => new Uint8Array(32).fill(byte);

function node(myId: string): WasmFramePath {
  return new WasmFramePath({ myId, portHeader: 0, recordType: RECORD_TYPE, hopLimit: 16 });
}

/** Keys for both directions of a pair, as derivePairKeys would give them (each side's send = other's receive). */
function pairUp(x: WasmFramePath, xId: string, y: WasmFramePath, yId: string, seed: number) {
  x.setKeys(yId, { sendKey: key(seed), receiveKey: key(seed + 1) });
  y.setKeys(xId, { sendKey: key(seed + 1), receiveKey: key(seed) });
}

function ethernet(destination: number[], source: number[], payload: string): Uint8Array {
  return new Uint8Array([...destination, ...source, 0x08, 0x00, ...new TextEncoder().encode(payload)]);
}

const MAC_A = [2, 0, 0, 0, 0, 0xa];
const MAC_C = [2, 0, 0, 0, 0, 0xc];

function sendAll(from: WasmFramePath, frame: Uint8Array): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  from.send(frame, 1000, (nextHop, record) => out.push([nextHop, record]));
  return out;
}

Deno.test("wasm frame path: broadcast sealed per node, relayed by b, answered by unicast; MACs learned", () => {
  const [a, b, c] = [node(ids.a), node(ids.b), node(ids.c)];
  pairUp(a, ids.a, b, ids.b, 1);
  pairUp(a, ids.a, c, ids.c, 3);
  pairUp(b, ids.b, c, ids.c, 5);
  a.setRoutes(new Map([[ids.b, ids.b], [ids.c, ids.b]]));
  b.setRoutes(new Map([[ids.a, ids.a], [ids.c, ids.c]]));
  c.setRoutes(new Map([[ids.a, ids.b], [ids.b, ids.b]]));

  const arp = ethernet([255, 255, 255, 255, 255, 255], MAC_A, "who-has");
  const copies = sendAll(a, arp);
  assertEquals(copies.map(([hop, record]) => [hop, record[0], record[1]]), [
    [ids.b, RECORD_TYPE, 16],
    [ids.b, RECORD_TYPE, 16],
  ]);
  let delivered = 0;
  for (const [, record] of copies) {
    const verdict = b.receive(record, 1000);
    if (verdict === Inbound.delivered) {
      assertEquals(b.deliveredFrame, arp);
      assertEquals(b.deliveredFrom, ids.a);
      delivered++;
      continue;
    }
    assertEquals(verdict, Inbound.forward);
    assertEquals([b.forwardTo, b.forwardHops], [ids.c, 15]);
    record[1] = b.forwardHops;
    assertEquals(c.receive(record, 1000), Inbound.delivered);
    assertEquals(c.deliveredFrame, arp);
    assertEquals(c.receive(record, 1000), Inbound.dropped, "a replay");
  }
  assertEquals(delivered, 1);
  assertEquals(c.counters().replay, 1);
  assertEquals(c.macEntries().map(({ mac, home }) => [mac, home]), [[0x02_00_00_00_00_0a, ids.a]]);

  const answer = ethernet(MAC_A, MAC_C, "is-at");
  const [[hop, record]] = sendAll(c, answer);
  assertEquals(hop, ids.b);
  assertEquals(b.receive(record, 1000), Inbound.forward);
  assertEquals(a.receive(record, 1000), Inbound.delivered);
  assertEquals(a.deliveredFrame, answer);

  // Unreachable: c's MAC is forgotten at a, so the next frame to it floods again.
  assertEquals(a.forgetMacsOf(ids.c), 1);
  assertEquals(sendAll(a, ethernet(MAC_C, MAC_A, "again")).length, 2);
});

Deno.test("wasm frame path: forgotten nodes, missing keys and bad records are counted, never thrown", () => {
  const [a, b] = [node(ids.a), node(ids.b)];
  pairUp(a, ids.a, b, ids.b, 9);
  a.setRoutes(new Map([[ids.b, ids.b], [ids.d, ids.b]]));
  b.setRoutes(new Map([[ids.a, ids.a]]));
  const copies = sendAll(a, ethernet([255, 255, 255, 255, 255, 255], MAC_A, "x"));
  assertEquals(copies.length, 1, "d has a route but no keys");
  assertEquals(a.counters().noKeys, 1);

  for (
    const bad of [new Uint8Array(0), new Uint8Array(10), new Uint8Array(70_000), copies[0][1].slice(0, 50)]
  ) {
    assertEquals(b.receive(bad, 1000), Inbound.dropped);
  }
  assertEquals(b.counters().badLength, 4);

  const record = copies[0][1];
  record[record.length - 1] ^= 1;
  assertEquals(b.receive(record, 1000), Inbound.dropped);
  assertEquals(b.counters().auth, 1);

  b.forget(ids.a);
  record[record.length - 1] ^= 1;
  assertEquals(b.receive(record, 1000), Inbound.dropped);
  assertEquals(b.counters().unknownSource, 1);
  assert(b.macEntries().length === 0);
});

Deno.test("wasm frame path: 5000 mutated and random records never throw, and every drop is counted once", () => {
  const [a, b] = [node(ids.a), node(ids.b)];
  pairUp(a, ids.a, b, ids.b, 21);
  a.setRoutes(new Map([[ids.b, ids.b]]));
  b.setRoutes(new Map([[ids.a, ids.a], [ids.c, ids.a]]));
  const random = seededRandom(6479);
  const refusals = () => {
    const { noRoute, hopLimit, badLength, badHeader, auth, replay, unknownSource, badOffload } = b.counters();
    return noRoute + hopLimit + badLength + badHeader + auth + replay + unknownSource + badOffload;
  };
  let dropped = 0, delivered = 0, forwarded = 0;
  for (let round = 0; round < 5000; round++) {
    const frame = ethernet([255, 255, 255, 255, 255, 255], MAC_A, "x".repeat(below(random, 300)));
    let record = sendAll(a, frame)[0][1];
    switch (below(random, 6)) {
      case 0:
        record = record.subarray(0, below(random, record.length));
        break;
      case 1:
        record[below(random, record.length)] ^= 1 + below(random, 255);
        break;
      case 2:
        record = Uint8Array.from({ length: below(random, 200) }, () => below(random, 256));
        break;
      case 3: // for someone else, with a random hop limit: forwarded or dropped, never opened
        record.set(nodeIdToBytes(below(random, 2) ? ids.c : ids.d), 2 + 18);
        record[1] = below(random, 3);
        break;
      case 4:
        record = Uint8Array.from([...record, ...new Uint8Array(below(random, 40))]);
        break;
      default:
        break; // intact
    }
    const verdict = b.receive(record, 1000);
    if (verdict === Inbound.dropped) dropped++;
    else if (verdict === Inbound.forward) forwarded++;
    else {
      assertEquals(verdict, Inbound.delivered);
      assertEquals(b.deliveredFrame, frame);
      delivered++;
    }
  }
  assertEquals(refusals(), dropped, "a drop that no counter shows");
  assert(
    delivered > 700 && forwarded > 100 && dropped > 2500,
    JSON.stringify({ delivered, forwarded, dropped }),
  );
});
