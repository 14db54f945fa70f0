import { type NetworkTrust, verifyCertificate } from "../identity/authority.ts";
import type { Certificate } from "../identity/certificate.ts";
import { sha256, sign, type SigningKeyPair, verify } from "../identity/keys.ts";
import { decodeMessage, encodeMessage } from "./messages.ts";
import type { RecordReader, RecordWriter } from "./stream.ts";

// Mutual authentication inside TLS. TLS (under the network CA) already keeps strangers from accepting
// links; this step proves to both ends which admitted node is on the other side:
//
//   both → HELLO  version (1) ‖ nonce (32) ‖ own node certificate
//   both → AUTH   Ed25519 signature, with the key the certificate names, over
//                 "gloeth link v1" ‖ signer role (0 dialer, 1 acceptor) ‖ dialer nonce ‖ acceptor nonce
//                 ‖ SHA-256(dialer certificate) ‖ SHA-256(acceptor certificate)
//
// Fresh nonces on both sides make every signature good for this link only; the role byte stops a
// signature being reflected back to its maker. The signatures are not bound to the TLS session (Deno
// exposes no exporter), so the dialler binds it another way: it learns who answers at an address with a
// probe (HELLOs only), then dials that node's own TLS name and requires the same node in the handshake.
// A member relaying someone else's handshake through its own TLS session fails the name check.

const VERSION = 1;
const NONCE_LENGTH = 32;
const context = new TextEncoder().encode("gloeth link v1");

export type Role = "dialer" | "acceptor";

export interface LinkIdentity {
  keys: SigningKeyPair;
  certificate: Uint8Array;
  nodeId: string;
}

export interface HandshakeOptions {
  role: Role;
  self: LinkIdentity;
  trust: NetworkTrust;
  revoked: () => ReadonlySet<bigint>;
  timeoutMs?: number;
  /** Stop after the HELLOs: only learn which admitted node answers (no AUTH is sent). */
  probe?: boolean;
  /** The node this link must reach (the one TLS verified by name); any other is refused. */
  expectedPeer?: string;
}

export interface Peer {
  nodeId: string;
  certificate: Certificate;
  certificateBytes: Uint8Array;
}

export class HandshakeError extends Error {
  /** The peer hung up after the HELLOs: a dialler's probe (see link_manager.ts), not a failure. */
  readonly probed: boolean;

  constructor(reason: string, probed = false) {
    super(`link handshake: ${reason}`);
    this.name = "HandshakeError";
    this.probed = probed;
  }
}

async function expect(reader: RecordReader, type: "hello" | "auth"): Promise<Uint8Array> {
  const record = await reader.next();
  if (record === null) throw new HandshakeError(`the peer closed the link before ${type}`, type === "auth");
  const message = decodeMessage(record);
  if (!message.ok) throw new HandshakeError(message.error.message);
  if (message.value.type !== type) throw new HandshakeError(`expected ${type}, got ${message.value.type}`);
  return message.value.body.slice(); // the reader's view is only valid until its next record
}

async function transcript(
  signer: Role,
  dialer: { nonce: Uint8Array; certificate: Uint8Array },
  acceptor: { nonce: Uint8Array; certificate: Uint8Array },
): Promise<Uint8Array> {
  const parts = [
    context,
    new Uint8Array([signer === "dialer" ? 0 : 1]),
    dialer.nonce,
    acceptor.nonce,
    await sha256(dialer.certificate),
    await sha256(acceptor.certificate),
  ];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Runs the handshake on a fresh link; resolves with the authenticated peer or rejects with why not. */
export async function handshake(
  reader: RecordReader,
  writer: RecordWriter,
  options: HandshakeOptions,
): Promise<Peer> {
  const timeout = options.timeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandshakeError(`no answer within ${timeout} ms`)), timeout);
  });
  try {
    return await Promise.race([run(reader, writer, options), expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(reader: RecordReader, writer: RecordWriter, options: HandshakeOptions): Promise<Peer> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
  const hello = new Uint8Array(1 + NONCE_LENGTH + options.self.certificate.length);
  hello[0] = VERSION;
  hello.set(nonce, 1);
  hello.set(options.self.certificate, 1 + NONCE_LENGTH);
  writer.send(encodeMessage("hello", hello));

  const peerHello = await expect(reader, "hello");
  if (peerHello.length < 1 + NONCE_LENGTH) throw new HandshakeError("hello too short");
  if (peerHello[0] !== VERSION) {
    throw new HandshakeError(`peer speaks version ${peerHello[0]}, not ${VERSION}`);
  }
  const peerNonce = peerHello.slice(1, 1 + NONCE_LENGTH);
  const peerCertificate = peerHello.slice(1 + NONCE_LENGTH);
  const verdict = await verifyCertificate(peerCertificate, options.trust, options.revoked());
  if (!verdict.ok) throw new HandshakeError(`peer certificate refused: ${verdict.reason}`);
  if (verdict.nodeId === options.self.nodeId) throw new HandshakeError("linked to itself");
  if (options.expectedPeer !== undefined && verdict.nodeId !== options.expectedPeer) {
    throw new HandshakeError(`expected node ${options.expectedPeer}, reached ${verdict.nodeId}`);
  }
  const peer = {
    nodeId: verdict.nodeId,
    certificate: verdict.certificate,
    certificateBytes: peerCertificate,
  };
  if (options.probe) return peer;

  const mine = { nonce, certificate: options.self.certificate };
  const theirs = { nonce: peerNonce, certificate: peerCertificate };
  const [dialer, acceptor] = options.role === "dialer" ? [mine, theirs] : [theirs, mine];
  const peerRole: Role = options.role === "dialer" ? "acceptor" : "dialer";
  writer.send(
    encodeMessage("auth", await sign(options.self.keys, await transcript(options.role, dialer, acceptor))),
  );
  const signature = await expect(reader, "auth");
  const expected = await transcript(peerRole, dialer, acceptor);
  if (!await verify(verdict.certificate.signKey, expected, signature)) {
    throw new HandshakeError("the peer could not prove it holds its certificate's key");
  }
  return peer;
}
