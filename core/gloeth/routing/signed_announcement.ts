import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";
import { readUint16, writeUint16 } from "../../net/bytes.ts";
import { MAX_ANNOUNCEMENT_LENGTH } from "./announcement.ts";

// An announcement as it travels between nodes: the signed body and the origin's Ed25519 signature.
//
//   body length   2   at most MAX_ANNOUNCEMENT_LENGTH
//   body          n   announcement bytes (see announcement.ts), exactly as signed
//   signature    64   Ed25519 by the origin's key over the body
//
// The body stays bytes, not a decoded Announcement: verifying must see exactly what was signed, and
// relaying must pass on exactly what was received.

export const SIGNATURE_LENGTH = 64;
const LAYER = "gloeth signed announcement";

export interface SignedAnnouncement {
  readonly body: Uint8Array;
  /** 64 bytes. */
  readonly signature: Uint8Array;
}

export function encodeSigned(signed: SignedAnnouncement): Uint8Array<ArrayBuffer> {
  if (signed.body.length > MAX_ANNOUNCEMENT_LENGTH) {
    throw new RangeError(`an announcement body is at most ${MAX_ANNOUNCEMENT_LENGTH} bytes`);
  }
  if (signed.signature.length !== SIGNATURE_LENGTH) {
    throw new RangeError(`a signature is ${SIGNATURE_LENGTH} bytes, got ${signed.signature.length}`);
  }
  const bytes = new Uint8Array(2 + signed.body.length + SIGNATURE_LENGTH);
  writeUint16(bytes, 0, signed.body.length);
  bytes.set(signed.body, 2);
  bytes.set(signed.signature, 2 + signed.body.length);
  return bytes;
}

/**
 * Splits the framing only; the body is decoded and the signature checked by the link-state database.
 * Returns copies, so the caller may reuse its receive buffer while the database keeps the announcement.
 */
export function decodeSigned(bytes: Uint8Array): Decoded<SignedAnnouncement> {
  if (bytes.length < 2) return decodeFailure(LAYER, `${bytes.length} bytes, the length field is 2`);
  const bodyLength = readUint16(bytes, 0);
  if (bodyLength > MAX_ANNOUNCEMENT_LENGTH) {
    return decodeFailure(LAYER, `body length ${bodyLength} exceeds ${MAX_ANNOUNCEMENT_LENGTH}`);
  }
  const expected = 2 + bodyLength + SIGNATURE_LENGTH;
  if (bytes.length !== expected) {
    return decodeFailure(LAYER, `${bytes.length} bytes, body length ${bodyLength} makes ${expected}`);
  }
  return decoded({
    body: bytes.slice(2, 2 + bodyLength),
    signature: bytes.slice(2 + bodyLength),
  });
}
