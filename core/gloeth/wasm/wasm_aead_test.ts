// Differential test: the Rust ChaCha20-Poly1305 against node:crypto's (OpenSSL), on lengths around every
// boundary the crate has (16-byte Poly1305 blocks, 64-byte ChaCha blocks, 256-byte SIMD runs) and on
// super-frame sizes.
import { nodeCryptoAead } from "../crypto/aead.ts";
import { randomBytes } from "../crypto/testdata/random_bytes.ts";
import { toHex } from "../crypto/testdata/hex.ts";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { below, seededRandom } from "../../../tests/support/random.ts";
import { createWasmAead } from "./wasm_aead.ts";

const wasmAead = createWasmAead();

function lengthsToTry(): number[] {
  const lengths = new Set<number>();
  for (const base of [0, 16, 64, 256, 512, 1024, 1500, 9000, 65_536]) {
    for (let delta = -3; delta <= 3; delta++) if (base + delta >= 0) lengths.add(base + delta);
  }
  for (let length = 0; length <= 600; length++) lengths.add(length);
  lengths.add(65_600);
  return [...lengths];
}

Deno.test("wasm aead: seals exactly as node:crypto and each opens the other's, at 600+ lengths", () => {
  const random = seededRandom(8439);
  for (const length of lengthsToTry()) {
    const key = randomBytes(random, 32);
    const nonce = randomBytes(random, 12);
    const aad = randomBytes(random, below(random, 80));
    const plaintext = randomBytes(random, length);
    const fromWasm = wasmAead.seal(key, nonce, plaintext, aad);
    const fromNode = nodeCryptoAead.seal(key, nonce, plaintext, aad);
    assertEquals(toHex(fromWasm), toHex(fromNode), `length ${length}`);
    assertEquals(toHex(wasmAead.open(key, nonce, fromNode, aad)!), toHex(plaintext));
    assertEquals(toHex(nodeCryptoAead.open(key, nonce, fromWasm, aad)!), toHex(plaintext));
  }
});

Deno.test("wasm aead: a sealed message one byte too long for the buffer is refused, not a trap", () => {
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(12);
  assertEquals(wasmAead.open(key, nonce, new Uint8Array(70_000), new Uint8Array(0)), null);
  assertEquals(wasmAead.open(key, nonce, new Uint8Array(64), new Uint8Array(2000)), null);
  let threw = false;
  try {
    wasmAead.seal(key, nonce, new Uint8Array(70_000), new Uint8Array(0));
  } catch (error) {
    threw = error instanceof RangeError;
  }
  assert(threw, "sealing more than the area holds throws RangeError");
});
