import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { AuthAlgorithm, IntegrityAlgorithm } from "./cipher_suite.ts";

// RMCP+ session keys and per-packet protection (IPMI v2.0, sections 13.28-13.32):
//   SIK = HMAC_Kg(Rm | Rc | role | name length | name), with Kg = Kuid (the password) when no BMC key is set;
//   K1 = HMAC_SIK(0x01 x 20) keys the integrity auth code, K2 = HMAC_SIK(0x02 x 20) gives the AES key
//   (its first 16 bytes). Keys shorter than a hash block are zero-padded by HMAC itself, so the 20-byte
//   zero-padded password of the spec and the plain password give the same HMAC.

type Hash = "sha1" | "sha256";

function authHash(algorithm: number): Hash {
  if (algorithm === AuthAlgorithm.hmacSha1) return "sha1";
  if (algorithm === AuthAlgorithm.hmacSha256) return "sha256";
  throw new RangeError(`authentication algorithm ${algorithm} is not supported`);
}

function hmac(hash: Hash, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const mac = createHmac(hash, key);
  for (const part of parts) mac.update(part);
  return new Uint8Array(mac.digest());
}

/** A password or BMC key as the spec's 20-byte field: UTF-8, at most 20 bytes. */
export function keyBytes(what: string, text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > 20) throw new RangeError(`${what} is ${bytes.length} bytes; IPMI 2.0 allows 20`);
  return bytes;
}

/** What RAKP messages 1-4 exchange, as the HMACs need it (session IDs as the 4 LE bytes on the wire). */
export interface RakpValues {
  consoleSessionId: number;
  managedSessionId: number;
  consoleRandom: Uint8Array;
  managedRandom: Uint8Array;
  managedGuid: Uint8Array;
  /** The role byte sent in RAKP 1 (privilege level plus the name-only lookup bit). */
  role: number;
  userName: Uint8Array;
}

function le32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}

/** RAKP 2's key exchange auth code, computed with the password: the BMC proves it knows it. */
export function rakp2AuthCode(algorithm: number, kuid: Uint8Array, v: RakpValues): Uint8Array<ArrayBuffer> {
  return hmac(
    authHash(algorithm),
    kuid,
    le32(v.consoleSessionId),
    le32(v.managedSessionId),
    v.consoleRandom,
    v.managedRandom,
    v.managedGuid,
    Uint8Array.of(v.role, v.userName.length),
    v.userName,
  );
}

/** RAKP 3's key exchange auth code: the console proves it knows the password. */
export function rakp3AuthCode(algorithm: number, kuid: Uint8Array, v: RakpValues): Uint8Array<ArrayBuffer> {
  return hmac(
    authHash(algorithm),
    kuid,
    v.managedRandom,
    le32(v.consoleSessionId),
    Uint8Array.of(v.role, v.userName.length),
    v.userName,
  );
}

export function sessionIntegrityKey(
  algorithm: number,
  kg: Uint8Array,
  v: RakpValues,
): Uint8Array<ArrayBuffer> {
  return hmac(
    authHash(algorithm),
    kg,
    v.consoleRandom,
    v.managedRandom,
    Uint8Array.of(v.role, v.userName.length),
    v.userName,
  );
}

/** RAKP 4's integrity check value: 12 bytes of HMAC-SHA1, 16 of HMAC-SHA256. */
export function rakp4CheckValue(algorithm: number, sik: Uint8Array, v: RakpValues): Uint8Array<ArrayBuffer> {
  const full = hmac(authHash(algorithm), sik, v.consoleRandom, le32(v.managedSessionId), v.managedGuid);
  return full.slice(0, algorithm === AuthAlgorithm.hmacSha256 ? 16 : 12);
}

export function rakp4CheckValueLength(algorithm: number): number {
  return algorithm === AuthAlgorithm.hmacSha256 ? 16 : algorithm === AuthAlgorithm.hmacSha1 ? 12 : 0;
}

export function rakp2AuthCodeLength(algorithm: number): number {
  return algorithm === AuthAlgorithm.hmacSha256 ? 32 : algorithm === AuthAlgorithm.hmacSha1 ? 20 : 0;
}

/** K1 (n = 1) or K2 (n = 2): HMAC_SIK of twenty bytes of n. */
export function additionalKey(algorithm: number, sik: Uint8Array, n: 1 | 2): Uint8Array<ArrayBuffer> {
  return hmac(authHash(algorithm), sik, new Uint8Array(20).fill(n));
}

export function integrityCodeLength(algorithm: number): number {
  if (algorithm === IntegrityAlgorithm.hmacSha1_96) return 12;
  if (algorithm === IntegrityAlgorithm.hmacSha256_128) return 16;
  if (algorithm === IntegrityAlgorithm.none) return 0;
  throw new RangeError(`integrity algorithm ${algorithm} is not supported`);
}

/** The auth code of an authenticated packet over `covered` (auth type through next header). */
export function integrityCode(
  algorithm: number,
  k1: Uint8Array,
  covered: Uint8Array,
): Uint8Array<ArrayBuffer> {
  if (algorithm === IntegrityAlgorithm.hmacSha1_96) return hmac("sha1", k1, covered).slice(0, 12);
  if (algorithm === IntegrityAlgorithm.hmacSha256_128) return hmac("sha256", k1, covered).slice(0, 16);
  throw new RangeError(`integrity algorithm ${algorithm} is not supported`);
}

/** Constant-time comparison for auth codes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

const AES_BLOCK = 16;

function joined(first: Uint8Array, second: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(first.length + second.length);
  out.set(first);
  out.set(second, first.length);
  return out;
}

/**
 * AES-CBC-128 payload (section 13.29): a 16-byte IV, then the ciphertext of the payload, the
 * confidentiality pad 1, 2, 3, ... N and the pad length N, padded to a whole number of blocks. Node's
 * own PKCS#7 padding is switched off: IPMI's pad is different.
 */
export function encryptAesCbc128(
  k2: Uint8Array,
  plaintext: Uint8Array,
  iv?: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const initialization = iv ?? new Uint8Array(randomBytes(AES_BLOCK));
  if (initialization.length !== AES_BLOCK) throw new RangeError("the AES IV is 16 bytes");
  const padLength = (AES_BLOCK - ((plaintext.length + 1) % AES_BLOCK)) % AES_BLOCK;
  const padded = new Uint8Array(plaintext.length + padLength + 1);
  padded.set(plaintext);
  for (let i = 1; i <= padLength; i++) padded[plaintext.length + i - 1] = i;
  padded[padded.length - 1] = padLength;
  const cipher = createCipheriv("aes-128-cbc", k2.subarray(0, 16), initialization);
  cipher.setAutoPadding(false);
  const body = joined(cipher.update(padded), cipher.final());
  const out = new Uint8Array(AES_BLOCK + body.length);
  out.set(initialization);
  out.set(body, AES_BLOCK);
  return out;
}

/** Reverses encryptAesCbc128; a malformed length or pad is an error value, never an exception. */
export function decryptAesCbc128(k2: Uint8Array, payload: Uint8Array): Decoded<Uint8Array> {
  if (payload.length < 2 * AES_BLOCK || payload.length % AES_BLOCK !== 0) {
    return decodeFailure("ipmi aes-cbc-128", `${payload.length} bytes is not an IV plus whole blocks`);
  }
  const decipher = createDecipheriv("aes-128-cbc", k2.subarray(0, 16), payload.subarray(0, AES_BLOCK));
  decipher.setAutoPadding(false);
  const plain = joined(decipher.update(payload.subarray(AES_BLOCK)), decipher.final());
  const padLength = plain[plain.length - 1];
  if (padLength >= AES_BLOCK || padLength + 1 > plain.length) {
    return decodeFailure("ipmi aes-cbc-128", `pad length ${padLength} is impossible (wrong key?)`);
  }
  const end = plain.length - 1 - padLength;
  for (let i = 0; i < padLength; i++) {
    if (plain[end + i] !== i + 1) {
      return decodeFailure("ipmi aes-cbc-128", "confidentiality pad is not 1, 2, 3, ...");
    }
  }
  return decoded(plain.subarray(0, end));
}
