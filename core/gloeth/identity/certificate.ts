import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";

// A node certificate: the network key's signature over who a node is (name, keys, validity). The bytes
// signed are this fixed layout, big-endian, so every implementation agrees on them:
//
//   version        1   (1)
//   network id    16   first 16 bytes of SHA-256(network public key)
//   serial         8   unique per certificate: revocation names it
//   not before     8   ms since the epoch
//   not after      8
//   sign key      32   the node's Ed25519 public key (links, announcements)
//   dh key        32   the node's X25519 public key (end-to-end frame keys)
//   name length    1   then that many bytes of UTF-8, at most 64
//   signature     64   Ed25519 by the network key over everything before it

export const CERTIFICATE_VERSION = 1;
const FIXED_LENGTH = 1 + 16 + 8 + 8 + 8 + 32 + 32 + 1;
const SIGNATURE_LENGTH = 64;
export const MAX_NAME_BYTES = 64;

export interface CertificateBody {
  networkId: Uint8Array;
  serial: bigint;
  notBefore: number;
  notAfter: number;
  signKey: Uint8Array;
  dhKey: Uint8Array;
  name: string;
}

export interface Certificate extends CertificateBody {
  /** The signed bytes (everything before the signature). */
  body: Uint8Array;
  signature: Uint8Array;
}

export function encodeCertificateBody(certificate: CertificateBody): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode(certificate.name);
  if (name.length === 0 || name.length > MAX_NAME_BYTES) {
    throw new RangeError(`a node name is 1 to ${MAX_NAME_BYTES} bytes of UTF-8`);
  }
  for (
    const [field, bytes, length] of [
      ["network id", certificate.networkId, 16],
      ["sign key", certificate.signKey, 32],
      ["dh key", certificate.dhKey, 32],
    ] as const
  ) {
    if (bytes.length !== length) throw new RangeError(`${field} must be ${length} bytes`);
  }
  const bytes = new Uint8Array(FIXED_LENGTH + name.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = CERTIFICATE_VERSION;
  bytes.set(certificate.networkId, 1);
  view.setBigUint64(17, certificate.serial);
  view.setBigUint64(25, BigInt(certificate.notBefore));
  view.setBigUint64(33, BigInt(certificate.notAfter));
  bytes.set(certificate.signKey, 41);
  bytes.set(certificate.dhKey, 73);
  bytes[105] = name.length;
  bytes.set(name, 106);
  return bytes;
}

export function encodeCertificate(body: Uint8Array, signature: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(body.length + signature.length);
  bytes.set(body);
  bytes.set(signature, body.length);
  return bytes;
}

/** Reads a certificate's fields; it says nothing about the signature (see verifyCertificate). */
export function decodeCertificate(bytes: Uint8Array): Decoded<Certificate> {
  if (bytes.length < FIXED_LENGTH + 1 + SIGNATURE_LENGTH) {
    return decodeFailure("certificate", `${bytes.length} bytes is shorter than any certificate`);
  }
  if (bytes[0] !== CERTIFICATE_VERSION) return decodeFailure("certificate", `unknown version ${bytes[0]}`);
  const nameLength = bytes[105];
  if (nameLength === 0 || nameLength > MAX_NAME_BYTES) {
    return decodeFailure("certificate", `name length ${nameLength} is outside 1..${MAX_NAME_BYTES}`);
  }
  const bodyLength = FIXED_LENGTH + nameLength;
  if (bytes.length !== bodyLength + SIGNATURE_LENGTH) {
    return decodeFailure(
      "certificate",
      `${bytes.length} bytes, the name length says ${bodyLength + SIGNATURE_LENGTH}`,
    );
  }
  let name: string;
  try {
    name = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(106, bodyLength));
  } catch {
    return decodeFailure("certificate", "the name is not UTF-8");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notBefore = view.getBigUint64(25), notAfter = view.getBigUint64(33);
  if (notBefore > BigInt(Number.MAX_SAFE_INTEGER) || notAfter > BigInt(Number.MAX_SAFE_INTEGER)) {
    return decodeFailure("certificate", "validity times out of range");
  }
  return decoded({
    networkId: bytes.slice(1, 17),
    serial: view.getBigUint64(17),
    notBefore: Number(notBefore),
    notAfter: Number(notAfter),
    signKey: bytes.slice(41, 73),
    dhKey: bytes.slice(73, 105),
    name,
    body: bytes.slice(0, bodyLength),
    signature: bytes.slice(bodyLength),
  });
}
