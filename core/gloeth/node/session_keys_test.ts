import { assert, assertEquals } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";
import { testMember, testNetwork } from "../testing/mesh_fixture.ts";
import { generateX25519 } from "../crypto/pair_keys.ts";
import { decodeSessionKeys, encodeSessionKeys, verifySessionKeys } from "./session_keys.ts";

Deno.test("session keys: a record round-trips, verifies with its node's key only, and the layout holds", async () => {
  const network = await testNetwork();
  const node = await testMember(network, "a", 1n), other = await testMember(network, "b", 2n);
  const session = await generateX25519();
  const bytes = await encodeSessionKeys(
    node.identity.keys,
    node.identity.certificate,
    session.publicKey,
    1_700_000_000_000,
  );
  const certificateLength = node.identity.certificate.length;
  assertEquals(bytes.length, 2 + certificateLength + 32 + 8 + 64);
  assertEquals((bytes[0] << 8) | bytes[1], certificateLength);
  const decoded = decodeSessionKeys(bytes);
  assert(decoded.ok);
  assertEquals(decoded.value.sessionKey, session.publicKey);
  assertEquals(decoded.value.issuedAt, 1_700_000_000_000);
  assert(await verifySessionKeys(decoded.value, node.identity.keys.publicKey));
  assert(!await verifySessionKeys(decoded.value, other.identity.keys.publicKey));
  // A newer time or another session key under the old signature does not verify.
  const swapped = bytes.slice();
  swapped[2 + certificateLength] ^= 1;
  const forged = decodeSessionKeys(swapped);
  assert(forged.ok && !await verifySessionKeys(forged.value, node.identity.keys.publicKey));
});

Deno.test("session keys: truncated, oversized and mutated records are reported, never thrown", async () => {
  const network = await testNetwork();
  const node = await testMember(network, "a", 1n);
  const bytes = await encodeSessionKeys(node.identity.keys, node.identity.certificate, new Uint8Array(32), 1);
  assert(!decodeSessionKeys(bytes.subarray(0, 1)).ok);
  assert(!decodeSessionKeys(bytes.subarray(0, bytes.length - 1)).ok);
  const huge = bytes.slice();
  huge[0] = 0xff;
  assert(!decodeSessionKeys(huge).ok);
  const random = seededRandom(0x5e55);
  for (let i = 0; i < 5000; i++) {
    const mutant = bytes.slice(0, below(random, 5) === 0 ? below(random, bytes.length + 1) : bytes.length);
    for (let flips = below(random, 4); flips > 0 && mutant.length > 0; flips--) {
      mutant[below(random, mutant.length)] = below(random, 256);
    }
    decodeSessionKeys(mutant);
  }
});
