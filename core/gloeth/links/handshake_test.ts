// The link handshake over real TLS on loopback (the network CA's certificates): two admitted nodes learn
// each other's ids; a node of another network, a revoked node, a node replaying someone else's
// certificate, and a silent peer are all refused.
import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { testMember, testNetwork } from "../testing/mesh_fixture.ts";
import type { trustOf } from "../identity/authority.ts";
import { LINK_SERVER_NAME } from "../identity/x509.ts";
import { handshake, type LinkIdentity, type Role } from "./handshake.ts";
import { RecordReader, RecordWriter } from "./stream.ts";

const network = testNetwork;
const member = testMember;

/** One TLS link on loopback: the acceptor presents `serverTls`, the dialer trusts `ca`; both run the handshake. */
async function link(
  caPem: string,
  acceptor: { identity: LinkIdentity; certPem: string; keyPem: string },
  dialer: { identity: LinkIdentity },
  trust: { dialer: Awaited<ReturnType<typeof trustOf>>; acceptor: Awaited<ReturnType<typeof trustOf>> },
  revoked: ReadonlySet<bigint> = new Set(),
) {
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: acceptor.certPem,
    key: acceptor.keyPem,
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
    const tls = await Deno.startTls(tcp, { hostname: LINK_SERVER_NAME, caCerts: [caPem] });
    const results = await Promise.allSettled([side(tls, "dialer", dialer.identity), accepting]);
    return results;
  } finally {
    listener.close();
  }
}

Deno.test("link handshake: two members learn each other's ids", async () => {
  const net = await network();
  const a = await member(net, "a", 1n), b = await member(net, "b", 2n);
  const [dialed, accepted] = await link(net.caPem, a, b, { dialer: net.trust, acceptor: net.trust });
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
  const [, refusedStranger] = await link(net.caPem, a, stranger, { dialer: net.trust, acceptor: net.trust });
  assert(refusedStranger.status === "rejected");
  assertMatch(String(refusedStranger.reason), /issued for network/);

  const revokedNode = await member(net, "r", 5n);
  const [, refusedRevoked] = await link(
    net.caPem,
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
  const [, refusedThief] = await link(net.caPem, a, impostor, { dialer: net.trust, acceptor: net.trust });
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
