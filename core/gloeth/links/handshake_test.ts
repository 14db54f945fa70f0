// The link handshake over real TLS on loopback (the network CA's certificates): two admitted nodes learn
// each other's ids; a node of another network, a revoked node, a node replaying someone else's
// certificate, and a silent peer are all refused.
import { assert, assertEquals, assertMatch } from "../../../tests/support/assert.ts";
import { issueCertificate, trustOf } from "../identity/authority.ts";
import { generateDhKey, generateSigningKey, keyId, type SigningKeyPair, toHex } from "../identity/keys.ts";
import { LINK_SERVER_NAME, networkCaCertificate, nodeTlsCertificate, pem } from "../identity/x509.ts";
import { handshake, type LinkIdentity, type Role } from "./handshake.ts";
import { RecordReader, RecordWriter } from "./stream.ts";

const day = 86_400_000;

async function network() {
  const key = await generateSigningKey();
  const id = toHex(await keyId(key.publicKey));
  return {
    key,
    id,
    trust: await trustOf(key.publicKey),
    ca: await networkCaCertificate(key, id, new Date(Date.now() + 365 * day)),
  };
}

async function member(
  net: Awaited<ReturnType<typeof network>>,
  name: string,
  serial: bigint,
  keys?: SigningKeyPair,
) {
  const sign = keys ?? await generateSigningKey();
  const dh = await generateDhKey();
  const now = Date.now();
  const certificate = await issueCertificate(net.key, {
    serial,
    notBefore: now - 60_000,
    notAfter: now + day,
    signKey: sign.publicKey,
    dhKey: dh.publicKey,
    name,
  });
  const tls = await nodeTlsCertificate(net.key, net.id, {
    name,
    signKey: sign.publicKey,
    serial,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + day),
  });
  const identity: LinkIdentity = { keys: sign, certificate, nodeId: toHex(await keyId(sign.publicKey)) };
  return { identity, tls };
}

/** One TLS link on loopback: the acceptor presents `serverTls`, the dialer trusts `ca`; both run the handshake. */
async function link(
  ca: Uint8Array,
  acceptor: { identity: LinkIdentity; tls: Uint8Array },
  dialer: { identity: LinkIdentity },
  trust: { dialer: Awaited<ReturnType<typeof trustOf>>; acceptor: Awaited<ReturnType<typeof trustOf>> },
  revoked: ReadonlySet<bigint> = new Set(),
) {
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: pem("CERTIFICATE", acceptor.tls),
    key: pem("PRIVATE KEY", acceptor.identity.keys.privatePkcs8),
  });
  const side = async (connection: Deno.Conn, role: Role, identity: LinkIdentity) => {
    try {
      return await handshake(new RecordReader(connection), new RecordWriter(connection), {
        role,
        self: identity,
        trust: role === "dialer" ? trust.dialer : trust.acceptor,
        revoked: () => revoked,
        timeoutMs: 3000,
      });
    } finally {
      connection.close();
    }
  };
  try {
    const accepting = listener.accept().then((connection) => side(connection, "acceptor", acceptor.identity));
    const tcp = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const tls = await Deno.startTls(tcp, { hostname: LINK_SERVER_NAME, caCerts: [pem("CERTIFICATE", ca)] });
    const results = await Promise.allSettled([side(tls, "dialer", dialer.identity), accepting]);
    return results;
  } finally {
    listener.close();
  }
}

Deno.test("link handshake: two members learn each other's ids", async () => {
  const net = await network();
  const a = await member(net, "a", 1n), b = await member(net, "b", 2n);
  const [dialed, accepted] = await link(net.ca, a, b, { dialer: net.trust, acceptor: net.trust });
  assert(
    dialed.status === "fulfilled" && accepted.status === "fulfilled",
    [dialed, accepted].map((r) => r.status === "rejected" ? String(r.reason) : "ok").join(", "),
  );
  assertEquals(dialed.value.nodeId, a.identity.nodeId);
  assertEquals(accepted.value.nodeId, b.identity.nodeId);
  assertEquals(accepted.value.certificate.name, "b");
});

Deno.test("link handshake: another network's node, a revoked node and a stolen certificate are refused", async () => {
  const net = await network(), other = await network();
  const a = await member(net, "a", 1n);
  const stranger = await member(other, "x", 9n);
  // The stranger dials with its own network's certificate (TLS passes: it trusts our CA; the handshake does not).
  const [, refusedStranger] = await link(net.ca, a, stranger, { dialer: net.trust, acceptor: net.trust });
  assert(refusedStranger.status === "rejected");
  assertMatch(String(refusedStranger.reason), /issued for network/);

  const revokedNode = await member(net, "r", 5n);
  const [, refusedRevoked] = await link(
    net.ca,
    a,
    revokedNode,
    { dialer: net.trust, acceptor: net.trust },
    new Set([5n]),
  );
  assert(refusedRevoked.status === "rejected");
  assertMatch(String(refusedRevoked.reason), /revoked/);

  // A thief presents b's certificate without b's key.
  const b = await member(net, "b", 2n);
  const thief = await member(net, "t", 3n);
  const impostor = { identity: { ...thief.identity, certificate: b.identity.certificate } };
  const [, refusedThief] = await link(net.ca, a, impostor, { dialer: net.trust, acceptor: net.trust });
  assert(refusedThief.status === "rejected");
  assertMatch(String(refusedThief.reason), /could not prove/);
});

Deno.test("link handshake: a silent peer times out", async () => {
  const net = await network();
  const a = await member(net, "a", 1n);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const silent = listener.accept();
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const started = performance.now();
    let error = "";
    try {
      await handshake(new RecordReader(connection), new RecordWriter(connection), {
        role: "dialer",
        self: a.identity,
        trust: net.trust,
        revoked: () => new Set(),
        timeoutMs: 300,
      });
    } catch (e) {
      error = String(e);
    }
    assertMatch(error, /no answer within 300 ms/);
    assert(performance.now() - started < 2000);
    connection.close();
    (await silent).close();
  } finally {
    listener.close();
  }
});
