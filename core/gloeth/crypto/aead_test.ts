import { toHexString } from "../../net/bytes.ts";
import { type Aead, nodeCryptoAead } from "./aead.ts";
import { createWasmAead } from "../wasm/wasm_aead.ts";
import { openLibsodiumAead } from "./testdata/libsodium_aead.ts";
import { type AeadVector, APPENDIX_A_5, SECTION_2_8_2 } from "./testdata/rfc8439.ts";
import { flipBit, randomBytes } from "./testdata/random_bytes.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";

// Every Aead must pass the same tests; libsodium's too, so its wrapper is known right before the crate is
// compared with it (wasm_aead_test.ts).
const libsodiumAead = openLibsodiumAead();
const IMPLEMENTATIONS: [string, Aead][] = [
  ["node:crypto", nodeCryptoAead],
  ["wasm", createWasmAead()],
  ...(libsodiumAead ? [["libsodium", libsodiumAead] as [string, Aead]] : []),
];

const sealedOf = (vector: AeadVector) => {
  const sealed = new Uint8Array(vector.ciphertext.length + vector.tag.length);
  sealed.set(vector.ciphertext);
  sealed.set(vector.tag, vector.ciphertext.length);
  return sealed;
};

for (const [name, aead] of IMPLEMENTATIONS) {
  Deno.test(`aead ${name}: RFC 8439 §2.8.2 seals to the published ciphertext and tag`, () => {
    const v = SECTION_2_8_2;
    assertEquals(v.plaintext.length, 114);
    const sealed = aead.seal(v.key, v.nonce, v.plaintext, v.aad);
    assertEquals(toHexString(sealed.subarray(0, 114)), toHexString(v.ciphertext));
    assertEquals(toHexString(sealed.subarray(114)), "1ae10b594f09e26a7e902ecbd0600691");
    assertEquals(aead.open(v.key, v.nonce, sealed, v.aad), v.plaintext);
  });

  Deno.test(`aead ${name}: RFC 8439 A.5 opens to the published plaintext`, () => {
    const v = APPENDIX_A_5;
    assertEquals(v.ciphertext.length, 265);
    assertEquals(aead.open(v.key, v.nonce, sealedOf(v), v.aad), v.plaintext);
    assertEquals(toHexString(aead.seal(v.key, v.nonce, v.plaintext, v.aad)), toHexString(sealedOf(v)));
  });

  Deno.test(`aead ${name}: every single-bit flip of ciphertext, tag or AAD fails to open`, () => {
    for (const v of [SECTION_2_8_2, APPENDIX_A_5]) {
      const sealed = sealedOf(v);
      for (let bit = 0; bit < sealed.length * 8; bit++) {
        assertEquals(aead.open(v.key, v.nonce, flipBit(sealed, bit), v.aad), null, `${v.name} bit ${bit}`);
      }
      for (let bit = 0; bit < v.aad.length * 8; bit++) {
        assertEquals(aead.open(v.key, v.nonce, sealed, flipBit(v.aad, bit)), null, `${v.name} AAD ${bit}`);
      }
    }
  });

  Deno.test(`aead ${name}: wrong key, wrong nonce, truncation and extension fail to open`, () => {
    const v = SECTION_2_8_2;
    const sealed = sealedOf(v);
    assertEquals(aead.open(flipBit(v.key, 255), v.nonce, sealed, v.aad), null);
    assertEquals(aead.open(v.key, flipBit(v.nonce, 95), sealed, v.aad), null);
    assertEquals(aead.open(v.key, v.nonce, sealed.subarray(0, sealed.length - 1), v.aad), null);
    assertEquals(aead.open(v.key, v.nonce, sealed.subarray(1), v.aad), null);
    const extended = new Uint8Array(sealed.length + 1);
    extended.set(sealed);
    assertEquals(aead.open(v.key, v.nonce, extended, v.aad), null);
    for (let length = 0; length < 16; length++) {
      assertEquals(aead.open(v.key, v.nonce, sealed.subarray(0, length), v.aad), null);
    }
  });

  Deno.test(`aead ${name}: empty plaintext and empty AAD round trip`, () => {
    const { key, nonce } = SECTION_2_8_2;
    const empty = new Uint8Array(0);
    const tagOnly = aead.seal(key, nonce, empty, empty);
    assertEquals(tagOnly.length, 16);
    assertEquals(aead.open(key, nonce, tagOnly, empty), empty);
    assertEquals(aead.open(key, nonce, tagOnly, new Uint8Array(1)), null);
  });

  Deno.test(`aead ${name}: key and nonce of the wrong length throw RangeError`, () => {
    const { key, nonce, plaintext, aad } = SECTION_2_8_2;
    const sealed = sealedOf(SECTION_2_8_2);
    for (const badKey of [new Uint8Array(0), new Uint8Array(31), new Uint8Array(33)]) {
      assertThrows(() => aead.seal(badKey, nonce, plaintext, aad), RangeError);
      assertThrows(() => aead.open(badKey, nonce, sealed, aad), RangeError);
    }
    for (const badNonce of [new Uint8Array(0), new Uint8Array(8), new Uint8Array(11), new Uint8Array(13)]) {
      assertThrows(() => aead.seal(key, badNonce, plaintext, aad), RangeError);
      assertThrows(() => aead.open(key, badNonce, sealed, aad), RangeError);
    }
  });

  Deno.test(`aead ${name}: 5000 random and mutated inputs to open() never throw and never open`, () => {
    const random = seededRandom(0x9e37);
    const v = SECTION_2_8_2;
    const sealed = sealedOf(v);
    for (let i = 0; i < 5000; i++) {
      if (i % 2 === 0) {
        const key = randomBytes(random, 32);
        const nonce = randomBytes(random, 12);
        const input = randomBytes(random, below(random, 200));
        const aad = randomBytes(random, below(random, 64));
        assertEquals(aead.open(key, nonce, input, aad), null, `random input ${i}`);
      } else {
        // Mutants of a valid message reach the tag check with plausible lengths and mostly right bytes.
        const mutant = sealed.slice(0, sealed.length - below(random, 3));
        const changes = 1 + below(random, 4);
        for (let c = 0; c < changes; c++) mutant[below(random, mutant.length)] ^= 1 + below(random, 255);
        const same = mutant.length === sealed.length && mutant.every((byte, j) => byte === sealed[j]);
        const opened = aead.open(v.key, v.nonce, mutant, v.aad);
        assert(same ? opened !== null : opened === null, `mutant ${i}`);
      }
    }
  });
}
