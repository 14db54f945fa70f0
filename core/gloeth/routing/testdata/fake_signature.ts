import type { NodeId } from "../node_id.ts";

// A deterministic, synchronous stand-in for Ed25519 in routing tests (WebCrypto's is async, and the
// link-state database takes synchronous callbacks: the caller verifies with cached keys). It binds the
// signature to the origin and every body byte, which is all the routing logic can observe.

export function fakeSign(origin: NodeId, body: Uint8Array): Uint8Array<ArrayBuffer> {
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  };
  for (let i = 0; i < origin.length; i++) mix(origin.charCodeAt(i));
  for (const byte of body) mix(byte);
  const signature = new Uint8Array(64);
  for (let i = 0; i < signature.length; i++) {
    mix(i);
    signature[i] = hash >>> 24;
  }
  return signature;
}

export function fakeVerify(origin: NodeId, body: Uint8Array, signature: Uint8Array): boolean {
  const expected = fakeSign(origin, body);
  return signature.length === expected.length && expected.every((byte, i) => byte === signature[i]);
}

/** The signer a node passes to originate(). */
export const signerFor = (origin: NodeId) => (body: Uint8Array) => fakeSign(origin, body);
