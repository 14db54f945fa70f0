import { toHexString } from "../../net/bytes.ts";
import {
  type Certificate,
  type CertificateBody,
  decodeCertificate,
  encodeCertificate,
  encodeCertificateBody,
} from "./certificate.ts";
import { keyId, sign, type SigningKeyPair, verify } from "./keys.ts";
import { decodeRevocationList, encodeRevocationBody, type RevocationList } from "./revocations.ts";

/**
 * The network: its public key is what every node trusts; its private key (kept offline by the operator,
 * 0600) signs node certificates and revocation lists. Only holders of a certificate from this key join.
 */
export interface NetworkTrust {
  publicKey: Uint8Array;
  networkId: Uint8Array;
}

export async function trustOf(networkPublicKey: Uint8Array): Promise<NetworkTrust> {
  return { publicKey: networkPublicKey, networkId: await keyId(networkPublicKey) };
}

export async function issueCertificate(
  network: SigningKeyPair,
  node: Omit<CertificateBody, "networkId">,
): Promise<Uint8Array> {
  const body = encodeCertificateBody({ ...node, networkId: await keyId(network.publicKey) });
  return encodeCertificate(body, await sign(network, body));
}

export async function issueRevocations(network: SigningKeyPair, serials: bigint[], issuedAt = Date.now()) {
  const body = encodeRevocationBody(await keyId(network.publicKey), issuedAt, serials);
  return encodeCertificate(body, await sign(network, body)); // the same "body, then signature" framing
}

export type CertificateVerdict =
  | { ok: true; certificate: Certificate; nodeId: string }
  | { ok: false; reason: string };

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Whether `bytes` is a certificate this network issued, valid now and not revoked: the check every link
 * makes of its peer before any frame or announcement is accepted from it.
 */
export async function verifyCertificate(
  bytes: Uint8Array,
  trust: NetworkTrust,
  revoked: ReadonlySet<bigint> = new Set(),
  now = Date.now(),
): Promise<CertificateVerdict> {
  const decoded = decodeCertificate(bytes);
  if (!decoded.ok) return { ok: false, reason: decoded.error.message };
  const certificate = decoded.value;
  if (!sameBytes(certificate.networkId, trust.networkId)) {
    return {
      ok: false,
      reason: `issued for network ${toHexString(certificate.networkId)}, not ${toHexString(trust.networkId)}`,
    };
  }
  if (!await verify(trust.publicKey, certificate.body, certificate.signature)) {
    return { ok: false, reason: "the network key did not sign this certificate" };
  }
  if (now < certificate.notBefore) return { ok: false, reason: "not valid yet" };
  if (now > certificate.notAfter) return { ok: false, reason: "expired" };
  if (revoked.has(certificate.serial)) {
    return { ok: false, reason: `serial ${certificate.serial} is revoked` };
  }
  return { ok: true, certificate, nodeId: toHexString(await keyId(certificate.signKey)) };
}

/** A revocation list this network signed, or why not. */
export async function verifyRevocations(
  bytes: Uint8Array,
  trust: NetworkTrust,
): Promise<{ ok: true; list: RevocationList } | { ok: false; reason: string }> {
  const decoded = decodeRevocationList(bytes);
  if (!decoded.ok) return { ok: false, reason: decoded.error.message };
  if (!sameBytes(decoded.value.networkId, trust.networkId)) {
    return { ok: false, reason: "another network's list" };
  }
  if (!await verify(trust.publicKey, decoded.value.body, decoded.value.signature)) {
    return { ok: false, reason: "the network key did not sign this list" };
  }
  return { ok: true, list: decoded.value };
}
