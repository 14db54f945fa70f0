// Differential tests: the Rust ChaCha20-Poly1305 against two audited, independent implementations,
// node:crypto's (OpenSSL) and libsodium's, on lengths around every boundary the crate has (16-byte
// Poly1305 blocks, 64-byte ChaCha blocks, 256-byte SIMD runs) and on super-frame sizes.
import { toHexString } from "../../net/bytes.ts";
import { type Aead, nodeCryptoAead } from "../crypto/aead.ts";
import { openLibsodiumAead } from "../crypto/testdata/libsodium_aead.ts";
import { randomBytes } from "../crypto/testdata/random_bytes.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";
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

const libsodiumAead = openLibsodiumAead();
const references: [string, Aead | null][] = [["node:crypto", nodeCryptoAead], ["libsodium", libsodiumAead]];

for (const [name, reference] of references) {
  Deno.test({
    name: `wasm aead: seals exactly as ${name} and each opens the other's, at 600+ lengths`,
    // libsodium23 is in setup.sh's list, so CI must have it.
    ignore: reference === null && !Deno.env.get("CI"),
    fn() {
      if (!reference) throw new Error(`${name} is not installed`);
      const random = seededRandom(8439);
      for (const length of lengthsToTry()) {
        const key = randomBytes(random, 32);
        const nonce = randomBytes(random, 12);
        const aad = randomBytes(random, below(random, 80));
        const plaintext = randomBytes(random, length);
        const fromWasm = wasmAead.seal(key, nonce, plaintext, aad);
        const fromReference = reference.seal(key, nonce, plaintext, aad);
        assertEquals(toHexString(fromWasm), toHexString(fromReference), `length ${length}`);
        assertEquals(toHexString(wasmAead.open(key, nonce, fromReference, aad)!), toHexString(plaintext));
        assertEquals(toHexString(reference.open(key, nonce, fromWasm, aad)!), toHexString(plaintext));
      }
    },
  });
}

Deno.test({
  name: "wasm aead: opens and refuses exactly what libsodium does, over 3000 mutated records",
  ignore: libsodiumAead === null && !Deno.env.get("CI"),
  fn() {
    if (!libsodiumAead) throw new Error("libsodium is not installed");
    const random = seededRandom(7539);
    let opened = 0;
    for (let round = 0; round < 3000; round++) {
      const key = randomBytes(random, 32);
      const nonce = randomBytes(random, 12);
      const aad = randomBytes(random, below(random, 24));
      const sealed = libsodiumAead.seal(key, nonce, randomBytes(random, below(random, 300)), aad);
      // Half untouched, half with one to three bytes changed, or cut short.
      const record = sealed.slice(
        0,
        below(random, 8) === 0 ? below(random, sealed.length + 1) : sealed.length,
      );
      if (round % 2 === 1) {
        for (let edits = 1 + below(random, 3); edits > 0 && record.length > 0; edits--) {
          record[below(random, record.length)] ^= 1 + below(random, 255);
        }
      }
      const fromWasm = wasmAead.open(key, nonce, record, aad);
      const fromLibsodium = libsodiumAead.open(key, nonce, record, aad);
      assertEquals(fromWasm === null, fromLibsodium === null, `round ${round}`);
      if (fromWasm && fromLibsodium) {
        assertEquals(toHexString(fromWasm), toHexString(fromLibsodium));
        opened++;
      }
    }
    assert(opened > 1000 && opened < 2000, `about half open, not ${opened}`);
  },
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
