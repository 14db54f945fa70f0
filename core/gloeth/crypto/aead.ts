// ChaCha20-Poly1305 as a narrow interface, with node:crypto's (OpenSSL, an audited library) as the
// reference: the Rust WASM one that seals gloeth's frames must pass the same aead_test.ts and match it
// byte for byte (core/gloeth/wasm/wasm_aead_test.ts).
import { createCipheriv, createDecipheriv } from "node:crypto";

export const AEAD_KEY_LENGTH = 32;
export const AEAD_NONCE_LENGTH = 12;
export const AEAD_TAG_LENGTH = 16;

/**
 * Authenticated encryption with associated data. `seal` returns ciphertext || tag; `open` returns the
 * plaintext, or null when the tag does not match (wrong key, nonce, AAD, or any altered byte). Key and
 * nonce lengths are the caller's contract and throw RangeError; everything else arrives from the network
 * and must never throw.
 */
export interface Aead {
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null;
}

function requireKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== AEAD_KEY_LENGTH) {
    throw new RangeError(`ChaCha20-Poly1305 key must be ${AEAD_KEY_LENGTH} bytes, got ${key.length}`);
  }
  if (nonce.length !== AEAD_NONCE_LENGTH) {
    throw new RangeError(`ChaCha20-Poly1305 nonce must be ${AEAD_NONCE_LENGTH} bytes, got ${nonce.length}`);
  }
}

export const nodeCryptoAead: Aead = {
  seal(key, nonce, plaintext, aad) {
    requireKeyAndNonce(key, nonce);
    const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: AEAD_TAG_LENGTH });
    cipher.setAAD(aad, { plaintextLength: plaintext.length });
    const sealed = new Uint8Array(plaintext.length + AEAD_TAG_LENGTH);
    const head = cipher.update(plaintext);
    sealed.set(head);
    sealed.set(cipher.final(), head.length);
    sealed.set(cipher.getAuthTag(), plaintext.length);
    return sealed;
  },

  open(key, nonce, sealed, aad) {
    requireKeyAndNonce(key, nonce);
    if (sealed.length < AEAD_TAG_LENGTH) return null;
    const length = sealed.length - AEAD_TAG_LENGTH;
    const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: AEAD_TAG_LENGTH });
    decipher.setAAD(aad, { plaintextLength: length });
    decipher.setAuthTag(sealed.subarray(length));
    // update() hands out plaintext before the tag is checked; it is only returned once final() has
    // verified it, and wiped otherwise so unauthenticated bytes cannot leak through a reused buffer.
    const head = decipher.update(sealed.subarray(0, length));
    let tail: Uint8Array;
    try {
      tail = decipher.final();
    } catch {
      head.fill(0);
      return null;
    }
    const plaintext = new Uint8Array(length);
    plaintext.set(head);
    plaintext.set(tail, head.length);
    return plaintext;
  },
};
