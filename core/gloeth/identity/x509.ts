import { toHexString } from "../../net/bytes.ts";
import { decodeBase64, encodeBase64 } from "../../text/base64.ts";
import {
  bitString,
  booleanTrue,
  explicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from "./der.ts";
import { keyId, sign, type SigningKeyPair } from "./keys.ts";

// X.509 certificates for the TLS links (RFC 5280, Ed25519 per RFC 8410). TLS needs X.509, so the network
// key also acts as a small CA: its self-signed certificate is the trust anchor every node dials with, and
// each node's TLS certificate, for its own Ed25519 key, is signed by it. Only network members can then
// accept links; gloeth's own handshake inside TLS authenticates both ends with the node certificates.
// Each node's certificate also names the node itself, so a dialler that knows whom it reaches checks that
// TLS ends there (see links/link_manager.ts): a member cannot sit in the middle of a link by relaying.

/** The name every node's TLS certificate carries (addresses vary, this does not): first contact only. */
export const LINK_SERVER_NAME = "gloeth";

/** The name only node `nodeId`'s TLS certificate carries. */
export function nodeServerName(nodeId: string): string {
  return `${nodeId}.${LINK_SERVER_NAME}`;
}

const ED25519 = "1.3.101.112";
const ed25519Algorithm = () => sequence(objectIdentifier(ED25519));
const commonName = (name: string) => sequence(set(sequence(objectIdentifier("2.5.4.3"), utf8String(name))));

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(objectIdentifier(oid), ...(critical ? [booleanTrue()] : []), octetString(value));
}

interface CertificateSpec {
  serial: bigint;
  issuer: string;
  subject: string;
  subjectKey: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  authority: boolean;
  /** subjectAltName dNSNames of a node certificate. */
  names?: string[];
}

async function issue(signer: SigningKeyPair, spec: CertificateSpec): Promise<Uint8Array> {
  const extensions = spec.authority
    ? [
      extension("2.5.29.19", true, sequence(booleanTrue())), // basicConstraints: CA
      extension("2.5.29.15", true, bitString(new Uint8Array([0x06]), 1)), // keyUsage: keyCertSign, cRLSign
    ]
    : [
      extension("2.5.29.19", true, sequence()), // basicConstraints: not a CA
      extension("2.5.29.15", true, bitString(new Uint8Array([0x80]), 7)), // keyUsage: digitalSignature
      // extKeyUsage: serverAuth, clientAuth
      extension(
        "2.5.29.37",
        false,
        sequence(objectIdentifier("1.3.6.1.5.5.7.3.1"), objectIdentifier("1.3.6.1.5.5.7.3.2")),
      ),
      // subjectAltName: dNSNames
      extension(
        "2.5.29.17",
        false,
        sequence(...(spec.names ?? []).map((name) => tlv(0x82, new TextEncoder().encode(name)))),
      ),
    ];
  const tbs = sequence(
    explicit(0, unsignedInteger(2n)), // v3
    unsignedInteger(spec.serial),
    ed25519Algorithm(),
    commonName(spec.issuer),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    commonName(spec.subject),
    sequence(ed25519Algorithm(), bitString(spec.subjectKey)),
    explicit(3, sequence(...extensions)),
  );
  return sequence(tbs, ed25519Algorithm(), bitString(await sign(signer, tbs)));
}

const networkName = (networkIdHex: string) => `gloeth network ${networkIdHex}`;

/** The network's self-signed CA certificate (the trust anchor of every link). */
export function networkCaCertificate(
  network: SigningKeyPair,
  networkIdHex: string,
  notAfter: Date,
): Promise<Uint8Array> {
  return issue(network, {
    serial: 1n,
    issuer: networkName(networkIdHex),
    subject: networkName(networkIdHex),
    subjectKey: network.publicKey,
    notBefore: new Date(Date.UTC(2020, 0, 1)),
    notAfter,
    authority: true,
  });
}

/** A node's TLS certificate for its Ed25519 key, signed by the network, naming "gloeth" and the node. */
export async function nodeTlsCertificate(
  network: SigningKeyPair,
  networkIdHex: string,
  node: { name: string; signKey: Uint8Array; serial: bigint; notBefore: Date; notAfter: Date },
): Promise<Uint8Array> {
  const nodeId = toHexString(await keyId(node.signKey));
  return issue(network, {
    names: [LINK_SERVER_NAME, nodeServerName(nodeId)],
    serial: node.serial,
    issuer: networkName(networkIdHex),
    subject: node.name,
    subjectKey: node.signKey,
    notBefore: node.notBefore,
    notAfter: node.notAfter,
    authority: false,
  });
}

/** The DER inside a PEM text (the first block), or undefined if it is not base64. */
export function derOfPem(text: string): Uint8Array | undefined {
  const body = text.replace(/-----[A-Z ]+-----/g, "").replace(/\s/g, "");
  try {
    return decodeBase64(body);
  } catch {
    return undefined;
  }
}

export function pem(label: "CERTIFICATE" | "PRIVATE KEY", der: Uint8Array): string {
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
