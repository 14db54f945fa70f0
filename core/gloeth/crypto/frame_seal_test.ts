import { type DropReason, PairChannel, parseFrameHeader } from "./frame_seal.ts";
import { nodeCryptoAead } from "./aead.ts";
import {
  encodeFrameHeader,
  FRAME_HEADER_LENGTH,
  FRAME_KIND_BROADCAST_COPY,
  FRAME_KIND_UNICAST,
  MIN_SEALED_FRAME_LENGTH,
} from "./frame_header.ts";
import { derivePairKeys, generateX25519, type PairKeys } from "./pair_keys.ts";
import { REPLAY_WINDOW_SIZE } from "./replay_window.ts";
import { randomBytes } from "./testdata/random_bytes.ts";
import { unwrap } from "../../net/errors.ts";
import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { below, seededRandom } from "../../../tests/support/random.ts";

const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const C = "cccccccccccccccccccccccccccccccc";

const randomKey = () => crypto.getRandomValues(new Uint8Array(32));

/** Both ends of one pair, on fresh random keys. */
function channels(me = A, peer = B): [PairChannel, PairChannel] {
  const forward = randomKey();
  const backward = randomKey();
  return [
    new PairChannel({ sendKey: forward, receiveKey: backward }, nodeCryptoAead, me, peer),
    new PairChannel({ sendKey: backward.slice(), receiveKey: forward.slice() }, nodeCryptoAead, peer, me),
  ];
}

const totalDrops = (channel: PairChannel) => Object.values(channel.drops).reduce((sum, n) => sum + n, 0);

const ethernetFrame = (length: number, seed: number) => randomBytes(seededRandom(seed), length);

Deno.test("frame seal: frames round trip both ways on keys from the X25519 exchange", async () => {
  const a = await generateX25519();
  const b = await generateX25519();
  const network = "lab";
  const aKeys = await derivePairKeys({
    myPrivateKey: a.privateKey,
    peerPublicKey: b.publicKey,
    myId: A,
    peerId: B,
    networkId: network,
  });
  const bKeys = await derivePairKeys({
    myPrivateKey: b.privateKey,
    peerPublicKey: a.publicKey,
    myId: B,
    peerId: A,
    networkId: network,
  });
  const atA = new PairChannel(aKeys, nodeCryptoAead, A, B);
  const atB = new PairChannel(bKeys, nodeCryptoAead, B, A);
  for (const [index, length] of [0, 1, 60, 1400, 1514, 9000].entries()) {
    const frame = ethernetFrame(length, index);
    const packet = atA.seal(frame, FRAME_KIND_UNICAST);
    assertEquals(packet.length, FRAME_HEADER_LENGTH + length + 16);
    assertEquals(unwrap(parseFrameHeader(packet)), {
      kind: FRAME_KIND_UNICAST,
      source: A,
      destination: B,
      counter: index,
    });
    assertEquals(atB.open(packet), frame);
    assertEquals(atA.open(atB.seal(frame, FRAME_KIND_BROADCAST_COPY)), frame);
  }
  assertEquals(totalDrops(atA) + totalDrops(atB), 0);
});

Deno.test("frame seal: the body is encrypted, not copied", () => {
  const [atA] = channels();
  const frame = new Uint8Array(64).fill(0x42);
  const body = atA.seal(frame, FRAME_KIND_UNICAST).subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + 64);
  assert(body.filter((byte) => byte === 0x42).length < 8);
});

Deno.test("frame seal: a change to any byte of the packet drops it, counted, and leaves the channel working", () => {
  const [atA, atB] = channels();
  const frame = ethernetFrame(100, 1);
  const packet = atA.seal(frame, FRAME_KIND_UNICAST);
  for (let offset = 0; offset < packet.length; offset++) {
    for (const flip of [0x01, 0x80, 0xff]) {
      const tampered = packet.slice();
      tampered[offset] ^= flip;
      assertEquals(atB.open(tampered), null, `byte ${offset} ^ ${flip}`);
    }
  }
  const drops = atB.drops;
  assertEquals(totalDrops(atB), packet.length * 3);
  assertEquals(drops.short + drops.replay, 0);
  assert(drops["bad-header"] > 0 && drops.auth > 0);
  // Ciphertext and tag bytes reach the AEAD, which is the only thing that can refuse them.
  assert(drops.auth >= (packet.length - FRAME_HEADER_LENGTH) * 3);
  assertEquals(atB.open(packet), frame, "forgeries moved the replay window");
});

Deno.test("frame seal: a replayed packet is dropped and counted", () => {
  const [atA, atB] = channels();
  const packet = atA.seal(ethernetFrame(60, 2), FRAME_KIND_UNICAST);
  assert(atB.open(packet) !== null);
  assertEquals(atB.open(packet), null);
  assertEquals(atB.open(packet.slice()), null);
  assertEquals(atB.drops, { short: 0, "bad-header": 0, auth: 0, replay: 2 });
});

Deno.test("frame seal: frames reordered within the window are accepted, older ones are replays", () => {
  const [atA, atB] = channels();
  const packets = Array.from(
    { length: REPLAY_WINDOW_SIZE + 10 },
    (_, i) => atA.seal(ethernetFrame(20, i), 1),
  );
  const newest = packets.length - 1;
  assert(atB.open(packets[newest]) !== null);
  const random = seededRandom(7);
  const inWindow = packets.slice(newest - REPLAY_WINDOW_SIZE, newest);
  for (let i = inWindow.length - 1; i > 0; i--) {
    const j = below(random, i + 1);
    [inWindow[i], inWindow[j]] = [inWindow[j], inWindow[i]];
  }
  for (const packet of inWindow) assert(atB.open(packet) !== null);
  for (const packet of packets.slice(0, newest - REPLAY_WINDOW_SIZE)) assertEquals(atB.open(packet), null);
  assertEquals(atB.drops, { short: 0, "bad-header": 0, auth: 0, replay: newest - REPLAY_WINDOW_SIZE });
});

Deno.test("frame seal: packets for another node, or from another node, are not this channel's", () => {
  const [atA] = channels(A, B);
  const [atAForC, atCFromA] = channels(A, C);
  const [atCForB] = channels(C, B);
  const [, atBFromA] = channels(A, B);
  assertEquals(atBFromA.open(atAForC.seal(ethernetFrame(60, 3), 1)), null, "addressed to C");
  assertEquals(atBFromA.open(atCForB.seal(ethernetFrame(60, 4), 1)), null, "sent by C");
  assertEquals(atBFromA.open(atA.seal(ethernetFrame(60, 5), 1)), null, "right ids, another key");
  assertEquals(atBFromA.drops, { short: 0, "bad-header": 2, auth: 1, replay: 0 });
  assert(atCFromA.open(atAForC.seal(ethernetFrame(60, 6), 1)) !== null);
});

Deno.test("frame seal: packets shorter than a header and tag are dropped as short", () => {
  const [atA, atB] = channels();
  const packet = atA.seal(new Uint8Array(0), FRAME_KIND_UNICAST);
  assertEquals(packet.length, MIN_SEALED_FRAME_LENGTH);
  for (let length = 0; length < MIN_SEALED_FRAME_LENGTH; length++) {
    assertEquals(atB.open(packet.subarray(0, length)), null);
  }
  assertEquals(atB.drops.short, MIN_SEALED_FRAME_LENGTH);
  assertEquals(atB.open(packet), new Uint8Array(0));
});

Deno.test("frame seal: 5000 random packets never throw, never open, and are each counted once", () => {
  const [, atB] = channels();
  const random = seededRandom(0xc4a7);
  for (let i = 0; i < 5000; i++) {
    const packet = randomBytes(random, below(random, 200));
    if (i % 2 === 0 && packet.length >= FRAME_HEADER_LENGTH) {
      // Half carry a header this channel accepts, so the fuzz reaches the AEAD and not just the parser.
      const counter = below(random, 2 ** 32) * 2 ** 21 + below(random, 2 ** 21);
      packet.set(
        encodeFrameHeader({ kind: 1 + below(random, 2) as 1 | 2, source: A, destination: B, counter }),
      );
    }
    assertEquals(atB.open(packet), null, `packet ${i}`);
  }
  assertEquals(totalDrops(atB), 5000);
  assertEquals(atB.drops.replay, 0);
  assert(atB.drops.auth > 1000, `${atB.drops.auth} reached the AEAD`);
});

Deno.test("frame seal: a channel refuses keys that would let nonces repeat", () => {
  const key = randomKey();
  assertThrows(
    () => new PairChannel({ sendKey: key, receiveKey: key.slice() }, nodeCryptoAead, A, B),
    RangeError,
  );
  const keys: PairKeys = { sendKey: randomKey(), receiveKey: randomKey() };
  new PairChannel(keys, nodeCryptoAead, A, B);
  assertThrows(() => new PairChannel(keys, nodeCryptoAead, A, B));
  assertThrows(() =>
    new PairChannel({ sendKey: randomKey(), receiveKey: randomKey() }, nodeCryptoAead, A, A)
  );
  assertThrows(
    () =>
      new PairChannel({ sendKey: randomKey().subarray(1), receiveKey: randomKey() }, nodeCryptoAead, A, B),
    RangeError,
  );
  const [atA] = channels();
  assertThrows(() => atA.seal(new Uint8Array(1), 3 as 1), RangeError);
});

Deno.test("frame seal: drops is a snapshot the caller cannot change", () => {
  const [, atB] = channels();
  (atB.drops as Record<DropReason, number>).auth = 99;
  assertEquals(atB.drops.auth, 0);
});

Deno.test("frame seal: headroom leaves room in front and the packet after it opens as usual", () => {
  const [alice, bob] = channels();
  const frame = new Uint8Array([1, 2, 3, 4, 5]);
  const buffer = alice.seal(frame, FRAME_KIND_UNICAST, 2);
  assertEquals([buffer[0], buffer[1]], [0, 0]);
  assertEquals(bob.open(buffer.subarray(2)), frame);
});
