// libsodium's ChaCha20-Poly1305 (IETF, RFC 8439) through FFI, as an audited second reference for the
// crate's AEAD: OpenSSL and libsodium are separate implementations, so agreeing with both rules out a
// shared mistake. Tests only; null where libsodium23 is not installed.
import { type Aead, AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH } from "../aead.ts";

const SYMBOLS = {
  sodium_init: { parameters: [], result: "i32" },
  crypto_aead_chacha20poly1305_ietf_encrypt: {
    // c, &clen, m, mlen, ad, adlen, nsec (unused), npub, k
    parameters: ["buffer", "buffer", "buffer", "u64", "buffer", "u64", "pointer", "buffer", "buffer"],
    result: "i32",
  },
  crypto_aead_chacha20poly1305_ietf_decrypt: {
    // m, &mlen, nsec (unused), c, clen, ad, adlen, npub, k
    parameters: ["buffer", "buffer", "pointer", "buffer", "u64", "buffer", "u64", "buffer", "buffer"],
    result: "i32",
  },
} as const;

export function openLibsodiumAead(): Aead | null {
  let library: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    library = Deno.dlopen("libsodium.so.23", SYMBOLS);
  } catch {
    return null;
  }
  const sodium = library.symbols;
  if (sodium.sodium_init() < 0) throw new Error("sodium_init failed");
  const length = new BigUint64Array(1);
  // FFI "buffer" parameters need a backing store, even for an empty AAD or message.
  const nonEmpty = (bytes: Uint8Array) => bytes.length > 0 ? bytes : new Uint8Array(1);
  // libsodium reads exactly 32 and 12 bytes through these pointers, so shorter ones must never reach it.
  const requireKeyAndNonce = (key: Uint8Array, nonce: Uint8Array) => {
    if (key.length !== AEAD_KEY_LENGTH || nonce.length !== AEAD_NONCE_LENGTH) {
      throw new RangeError(`key must be ${AEAD_KEY_LENGTH} bytes and nonce ${AEAD_NONCE_LENGTH}`);
    }
  };

  return {
    seal(key, nonce, plaintext, aad) {
      requireKeyAndNonce(key, nonce);
      const sealed = new Uint8Array(plaintext.length + AEAD_TAG_LENGTH);
      const status = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(
        sealed,
        length,
        nonEmpty(plaintext),
        BigInt(plaintext.length),
        nonEmpty(aad),
        BigInt(aad.length),
        null,
        nonce,
        key,
      );
      if (status !== 0 || Number(length[0]) !== sealed.length) throw new Error("libsodium seal failed");
      return sealed;
    },
    open(key, nonce, sealed, aad) {
      requireKeyAndNonce(key, nonce);
      if (sealed.length < AEAD_TAG_LENGTH) return null;
      const opened = new Uint8Array(Math.max(1, sealed.length - AEAD_TAG_LENGTH));
      const status = sodium.crypto_aead_chacha20poly1305_ietf_decrypt(
        opened,
        length,
        null,
        sealed,
        BigInt(sealed.length),
        nonEmpty(aad),
        BigInt(aad.length),
        nonce,
        key,
      );
      return status === 0 ? opened.subarray(0, Number(length[0])) : null;
    },
  };
}
