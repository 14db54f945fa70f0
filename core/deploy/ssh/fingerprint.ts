// Host keys as OpenSSH shows them: the type from inside the key blob, the fingerprint as
// "SHA256:" + unpadded base64 of the blob's SHA-256 (what `ssh-keygen -lf` and ssh's prompts print).
import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";

/** The key type named at the start of an SSH public key blob (e.g. "ssh-ed25519"). */
export function keyTypeOf(blob: Uint8Array): string {
  if (blob.length < 4) return "unknown";
  const length = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return "unknown";
  return new TextDecoder().decode(blob.subarray(4, 4 + length));
}

export function fingerprintOf(blob: Uint8Array): string {
  const digest = createHash("sha256").update(blob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

export function blobToBase64(blob: Uint8Array): string {
  return Buffer.from(blob).toString("base64");
}

export function base64ToBlob(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}
