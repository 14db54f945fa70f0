// The two keys one pair of nodes seals frames with, one per direction. X25519 gives both nodes the same
// secret; HKDF-SHA256 turns it into 64 bytes, split by direction (lower id -> higher id first). Separate
// keys per direction let both sides count nonces from 0 without ever sealing two frames under the same
// key and nonce. The salt binds the keys to one network, the info to this pair and this version of the
// scheme, so neither another network nor a later scheme can end up with the same keys.
//
// The keys are as long-lived as the X25519 keys they come from, while a channel's counter (in the frame
// path, wasm/src/channel.rs) starts at 0 every time it is made. So at least one of the two X25519 key
// pairs must be fresh for every channel (generateX25519 per session and per rekey, its public half
// authenticated by the node's signing key): deriving twice from the same two key pairs, e.g. after a
// restart with keys loaded from disk, would reuse nonces.
import { AEAD_KEY_LENGTH } from "./aead.ts";
import { type NodeId, requireNodeId } from "./node_id.ts";

export const X25519_PUBLIC_KEY_LENGTH = 32;

const INFO_LABEL = "gloeth pair v1";

export interface X25519KeyPair {
  /** Not extractable: nothing in the process can read it back out. */
  privateKey: CryptoKey;
  publicKey: Uint8Array;
}

export interface PairKeys {
  sendKey: Uint8Array;
  receiveKey: Uint8Array;
}

export interface PairKeyInputs {
  myPrivateKey: CryptoKey;
  peerPublicKey: Uint8Array;
  myId: NodeId;
  peerId: NodeId;
  networkId: string;
}

export async function generateX25519(): Promise<X25519KeyPair> {
  const pair = await crypto.subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

export async function derivePairKeys(inputs: PairKeyInputs): Promise<PairKeys> {
  const { myPrivateKey, peerPublicKey, myId, peerId, networkId } = inputs;
  requireNodeId(myId);
  requireNodeId(peerId);
  if (myId === peerId) throw new RangeError(`node ${myId} cannot pair with itself`);
  if (peerPublicKey.length !== X25519_PUBLIC_KEY_LENGTH) {
    throw new RangeError(`X25519 public key must be 32 bytes, got ${peerPublicKey.length}`);
  }
  const peer = await crypto.subtle.importKey(
    "raw",
    peerPublicKey as Uint8Array<ArrayBuffer>,
    { name: "X25519" },
    true,
    [],
  );
  const shared = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "X25519", public: peer }, myPrivateKey, 256),
  );
  // WebCrypto is meant to refuse low-order public keys (all-zero secret) itself; checked again because
  // a secret an attacker can predict would make every key below public.
  if (shared.every((byte) => byte === 0)) throw new RangeError("peer X25519 public key has low order");

  const iAmLower = myId < peerId;
  const [lower, higher] = iAmLower ? [myId, peerId] : [peerId, myId];
  const salt = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(networkId)));
  const ikm = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveBits"]);
  shared.fill(0);
  const okm = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt, info: utf8(INFO_LABEL + lower + higher) },
      ikm,
      2 * AEAD_KEY_LENGTH * 8,
    ),
  );
  const lowerToHigher = okm.slice(0, AEAD_KEY_LENGTH);
  const higherToLower = okm.slice(AEAD_KEY_LENGTH);
  okm.fill(0);
  return iAmLower
    ? { sendKey: lowerToHigher, receiveKey: higherToLower }
    : { sendKey: higherToLower, receiveKey: lowerToHigher };
}
