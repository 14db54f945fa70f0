import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";
import { sha256, sign, type SigningKeyPair, verify } from "../identity/keys.ts";

// A node's session key: a fresh X25519 key per run, so end-to-end frame keys (and their counter nonces)
// are new after every restart. It is flooded like routing announcements, in a record every node can
// check on its own: the node's certificate, the key, when it was made, and the node's signature.
//
//   certificate length  2
//   certificate         (as issued by the network)
//   session key        32   X25519 public key
//   issued at           8   ms since the epoch; a newer one replaces the older
//   signature          64   Ed25519 by the certificate's key over
//                           "gloeth keys v1" ‖ SHA-256(certificate) ‖ session key ‖ issued at

const context = new TextEncoder().encode("gloeth keys v1");
const MAX_CERTIFICATE = 512;

export interface SessionKeyRecord {
  certificate: Uint8Array;
  sessionKey: Uint8Array;
  issuedAt: number;
  signature: Uint8Array;
  /** The whole record as received (what is flooded on). */
  bytes: Uint8Array;
}

async function signedPart(
  certificate: Uint8Array,
  sessionKey: Uint8Array,
  issuedAt: number,
): Promise<Uint8Array> {
  const bytes = new Uint8Array(context.length + 32 + 32 + 8);
  bytes.set(context);
  bytes.set(await sha256(certificate), context.length);
  bytes.set(sessionKey, context.length + 32);
  new DataView(bytes.buffer).setBigUint64(context.length + 64, BigInt(issuedAt));
  return bytes;
}

export async function encodeSessionKeys(
  signer: SigningKeyPair,
  certificate: Uint8Array,
  sessionKey: Uint8Array,
  issuedAt: number,
): Promise<Uint8Array> {
  const signature = await sign(signer, await signedPart(certificate, sessionKey, issuedAt));
  const bytes = new Uint8Array(2 + certificate.length + 32 + 8 + 64);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, certificate.length);
  bytes.set(certificate, 2);
  bytes.set(sessionKey, 2 + certificate.length);
  view.setBigUint64(2 + certificate.length + 32, BigInt(issuedAt));
  bytes.set(signature, 2 + certificate.length + 40);
  return bytes;
}

export function decodeSessionKeys(bytes: Uint8Array): Decoded<SessionKeyRecord> {
  if (bytes.length < 2) return decodeFailure("session keys", "too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const certificateLength = view.getUint16(0);
  if (certificateLength > MAX_CERTIFICATE) return decodeFailure("session keys", "certificate too long");
  if (bytes.length !== 2 + certificateLength + 32 + 8 + 64) {
    return decodeFailure("session keys", `${bytes.length} bytes, the certificate length says otherwise`);
  }
  const issuedAt = view.getBigUint64(2 + certificateLength + 32);
  if (issuedAt > BigInt(Number.MAX_SAFE_INTEGER)) return decodeFailure("session keys", "time out of range");
  return decoded({
    certificate: bytes.slice(2, 2 + certificateLength),
    sessionKey: bytes.slice(2 + certificateLength, 2 + certificateLength + 32),
    issuedAt: Number(issuedAt),
    signature: bytes.slice(2 + certificateLength + 40),
    bytes: bytes.slice(),
  });
}

/** Whether the record's signature is by `signKey` (the key its certificate names, checked by the caller). */
export async function verifySessionKeys(record: SessionKeyRecord, signKey: Uint8Array): Promise<boolean> {
  return await verify(
    signKey,
    await signedPart(record.certificate, record.sessionKey, record.issuedAt),
    record.signature,
  );
}
