// ChaCha20-Poly1305 from the Rust crate, behind the same Aead interface as node:crypto's, so both pass
// core/gloeth/crypto/aead_test.ts and can be checked against each other.
import { type Aead, AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH } from "../crypto/aead.ts";
import { instantiateFramePath } from "./instance.ts";

// Layout of the crate's AEAD area (wasm/src/exports.rs).
const KEY_AT = 0;
const NONCE_AT = 32;
const AAD_AT = 64;
const AAD_CAPACITY = 1024;
const DATA_AT = AAD_AT + AAD_CAPACITY;

function requireKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== AEAD_KEY_LENGTH) {
    throw new RangeError(`ChaCha20-Poly1305 key must be ${AEAD_KEY_LENGTH} bytes, got ${key.length}`);
  }
  if (nonce.length !== AEAD_NONCE_LENGTH) {
    throw new RangeError(`ChaCha20-Poly1305 nonce must be ${AEAD_NONCE_LENGTH} bytes, got ${nonce.length}`);
  }
}

export function createWasmAead(): Aead {
  const wasm = instantiateFramePath();
  const area = new Uint8Array(wasm.memory.buffer, wasm.aead_pointer());
  const dataCapacity = wasm.record_capacity() - wasm.frame_offset() - AEAD_TAG_LENGTH;

  function load(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): void {
    requireKeyAndNonce(key, nonce);
    if (aad.length > AAD_CAPACITY) throw new RangeError(`AAD over ${AAD_CAPACITY} bytes`);
    area.set(key, KEY_AT);
    area.set(nonce, NONCE_AT);
    area.set(aad, AAD_AT);
    area.set(data, DATA_AT);
  }

  return {
    seal(key, nonce, plaintext, aad) {
      if (plaintext.length > dataCapacity) throw new RangeError(`plaintext over ${dataCapacity} bytes`);
      load(key, nonce, aad, plaintext);
      wasm.aead_seal(aad.length, plaintext.length);
      area.fill(0, KEY_AT, AAD_AT); // the key stays nowhere but with the caller
      return area.slice(DATA_AT, DATA_AT + plaintext.length + AEAD_TAG_LENGTH);
    },

    open(key, nonce, sealed, aad) {
      requireKeyAndNonce(key, nonce);
      // Lengths come from the network: anything the area cannot hold is simply not a frame of ours.
      if (sealed.length < AEAD_TAG_LENGTH || sealed.length > dataCapacity + AEAD_TAG_LENGTH) return null;
      if (aad.length > AAD_CAPACITY) return null;
      load(key, nonce, aad, sealed);
      const opened = wasm.aead_open(aad.length, sealed.length) === 1;
      area.fill(0, KEY_AT, AAD_AT);
      if (!opened) return null;
      const plaintext = area.slice(DATA_AT, DATA_AT + sealed.length - AEAD_TAG_LENGTH);
      area.fill(0, DATA_AT, DATA_AT + sealed.length);
      return plaintext;
    },
  };
}
