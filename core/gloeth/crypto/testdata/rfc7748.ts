// The X25519 Diffie-Hellman example of RFC 7748 §6.1, copied from the RFC's text.
import { fromHex } from "./hex.ts";

export const ALICE_PRIVATE = fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
export const ALICE_PUBLIC = fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
export const BOB_PRIVATE = fromHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
export const BOB_PUBLIC = fromHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
export const SHARED_SECRET = fromHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

// PKCS#8 PrivateKeyInfo for X25519 (RFC 8410) is this fixed DER prefix followed by the 32 raw bytes.
const PKCS8_X25519_PREFIX = fromHex("302e020100300506032b656e04220420");

export function importRawX25519Private(raw: Uint8Array, extractable = false): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(PKCS8_X25519_PREFIX.length + raw.length);
  pkcs8.set(PKCS8_X25519_PREFIX);
  pkcs8.set(raw, PKCS8_X25519_PREFIX.length);
  return crypto.subtle.importKey("pkcs8", pkcs8, { name: "X25519" }, extractable, ["deriveBits"]);
}
