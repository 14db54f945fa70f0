// Three nodes in one process on loopback, linked A–B–C over real TLS, with in-memory frame ports standing
// in for the TAP devices (the namespace tests use real ones): a frame from A reaches C through B, B sees
// only sealed bytes, and a broadcast reaches every other node once.
import type { HostPort } from "../../config/flags.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { testMember, type TestNetwork, testNetwork } from "../testing/mesh_fixture.ts";
import { waitFor } from "../../testing/harness/mod.ts";
import { LogSink } from "../../log/logger.ts";
import type { FramePort } from "./frame_port.ts";
import { GloethNode } from "./gloeth_node.ts";
import { issueRevocations } from "../identity/authority.ts";
import { encodeSessionKeys } from "./session_keys.ts";
import { MessageType } from "../links/messages.ts";
import { LINK_SERVER_NAME } from "../identity/x509.ts";

/** A node's link port on loopback, as the peers flag gives it. */
function loopback(port: number | undefined): HostPort {
  if (port === undefined) throw new Error("the node does not listen");
  return { hostname: "127.0.0.1", port };
}

const log = new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("gloeth");

/** An in-memory port: frames pushed in come out of read(); frames written are recorded. */
class MemoryPort implements FramePort {
  readonly headerSize = 0;
  readonly written: Uint8Array[] = [];
  #queue: Uint8Array[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;
  push(frame: Uint8Array) {
    this.#queue.push(frame);
    this.#waiter?.();
  }
  async readInto(buffer: Uint8Array, each: (length: number) => void): Promise<void> {
    while (this.#queue.length === 0) {
      if (this.#closed) throw new Error("closed");
      await new Promise<void>((resolve) => this.#waiter = resolve);
    }
    const frames = this.#queue;
    this.#queue = [];
    for (const frame of frames) {
      buffer.set(frame);
      each(frame.length);
    }
  }
  write(frame: Uint8Array) {
    this.written.push(frame.slice()); // the frame is only lent for the call
  }
  close() {
    this.#closed = true;
    this.#waiter?.();
  }
}

/** A node of `network` on loopback with an in-memory port, listening on a free port or only dialling. */
function testNode(
  network: TestNetwork,
  member: Awaited<ReturnType<typeof testMember>>,
  options: {
    port?: MemoryPort;
    peers?: HostPort[];
    listen?: boolean;
    revocations?: Uint8Array;
    rekeyMs?: number;
  } = {},
): GloethNode {
  return new GloethNode({
    identity: member.identity,
    trust: network.trust,
    caPem: network.caPem,
    certPem: member.certPem,
    keyPem: member.keyPem,
    listen: options.listen ? { hostname: "127.0.0.1", port: 0 } : undefined,
    peers: options.peers ?? [],
    port: options.port ?? new MemoryPort(),
    log,
    refreshMs: 1000,
    revocations: options.revocations,
    rekeyMs: options.rekeyMs,
    rekeyGraceMs: options.rekeyMs && options.rekeyMs / 5,
  });
}

function ethernet(destination: string, source: string, payload: string): Uint8Array {
  const mac = (text: string) => text.split(":").map((part) => parseInt(part, 16));
  return new Uint8Array([
    ...mac(destination),
    ...mac(source),
    0x08,
    0x00,
    ...new TextEncoder().encode(payload),
  ]);
}

Deno.test("gloeth node: A–B–C on loopback — unicast through B sealed end to end, broadcast to each node once", async () => {
  const network = await testNetwork();
  const [a, b, c] = await Promise.all([
    testMember(network, "a", 1n),
    testMember(network, "b", 2n),
    testMember(network, "c", 3n),
  ]);
  const ports = [new MemoryPort(), new MemoryPort(), new MemoryPort()];
  const node = (member: typeof a, port: MemoryPort, peers: HostPort[], listen: boolean) =>
    testNode(network, member, { port, peers, listen });
  const nodeB = node(b, ports[1], [], true);
  await nodeB.start();
  const bAddress = loopback(nodeB.listenPort);
  const nodeA = node(a, ports[0], [bAddress], false);
  const nodeC = node(c, ports[2], [bAddress], false);
  await Promise.all([nodeA.start(), nodeC.start()]);
  try {
    await waitFor(() => nodeA.routes.has(c.identity.nodeId) && nodeC.routes.has(a.identity.nodeId), {
      what: "routes between A and C",
      timeoutMs: 10_000,
    });
    assertEquals(nodeA.routes.get(c.identity.nodeId)?.nextHop, b.identity.nodeId);

    // A broadcast (an ARP request) from A reaches B and C once each.
    ports[0].push(ethernet("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", "who-has"));
    await waitFor(() => ports[1].written.length >= 1 && ports[2].written.length >= 1, {
      what: "the broadcast at B and C",
      timeoutMs: 5000,
    });
    // C answers to A's MAC; A learns C's MAC from it, then A's unicast to C goes to C alone.
    ports[2].push(ethernet("02:00:00:00:00:0a", "02:00:00:00:00:0c", "is-at"));
    await waitFor(() => ports[0].written.length >= 1, { what: "C's answer at A", timeoutMs: 5000 });
    const bBefore = ports[1].written.length;
    ports[0].push(ethernet("02:00:00:00:00:0c", "02:00:00:00:00:0a", "secret marker 7f3a"));
    await waitFor(() => ports[2].written.length >= 2, { what: "the unicast at C", timeoutMs: 5000 });
    assertEquals(new TextDecoder().decode(ports[2].written[1].subarray(14)), "secret marker 7f3a");
    assertEquals(ports[1].written.length, bBefore, "B's port got a frame meant for C");
    assertEquals(ports[0].written.length, 1);
    assertEquals(ports[1].written.length, 1);
    assert(nodeB.counters.framesForwarded >= 3, JSON.stringify(nodeB.counters));

    // B turns hostile: it flips one bit of every sealed frame it passes to C. C refuses and counts them.
    const toC = nodeB.links.get(c.identity.nodeId)!;
    const honestSend = toC.sendRecord.bind(toC);
    toC.sendRecord = (record) => {
      if (record[0] !== MessageType.frame) return honestSend(record);
      const tampered = record.slice();
      tampered[tampered.length - 20] ^= 0x01;
      return honestSend(tampered);
    };
    const delivered = ports[2].written.length;
    for (let i = 0; i < 3; i++) {
      ports[0].push(ethernet("02:00:00:00:00:0c", "02:00:00:00:00:0a", `tampered ${i}`));
    }
    await waitFor(() => nodeC.frames.counters().auth >= 3, {
      what: "C counting three forged frames",
      timeoutMs: 5000,
      describe: () => JSON.stringify(nodeC.frames.counters()),
    });
    assertEquals(ports[2].written.length, delivered, "a tampered frame reached C's port");
  } finally {
    await Promise.all([nodeA.stop(), nodeB.stop(), nodeC.stop()]);
  }
});

Deno.test("gloeth node: a node with another network's certificate cannot join", async () => {
  const network = await testNetwork(), foreign = await testNetwork();
  const b = await testMember(network, "b", 2n);
  const x = await testMember(foreign, "x", 9n);
  const start = async (member: typeof b, net: TestNetwork, peers: HostPort[], listen: boolean) => {
    const node = testNode(net, member, { peers, listen });
    await node.start();
    return node;
  };
  const nodeB = await start(b, network, [], true);
  // The intruder even trusts our CA (it copied ca.pem): TLS passes, the certificate check does not.
  const nodeX = await start(
    x,
    { ...foreign, caPem: network.caPem },
    [loopback(nodeB.listenPort)],
    false,
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assertEquals(nodeB.links.size, 0);
    assertEquals(nodeX.links.size, 0);
    assertEquals(nodeX.routes.size, 0);
  } finally {
    await Promise.all([nodeB.stop(), nodeX.stop()]);
  }
});

Deno.test("gloeth node: a revocation list brought by a new node spreads, and the revoked node loses its links", async () => {
  const network = await testNetwork();
  const [a, b, c] = await Promise.all([
    testMember(network, "a", 11n),
    testMember(network, "b", 12n),
    testMember(network, "c", 13n),
  ]);
  const start = async (member: typeof a, peers: HostPort[], listen: boolean, revocations?: Uint8Array) => {
    const node = testNode(network, member, { peers, listen, revocations });
    await node.start();
    return node;
  };
  const nodeA = await start(a, [], true);
  const nodeB = await start(b, [loopback(nodeA.listenPort)], false);
  let nodeC: GloethNode | undefined;
  try {
    await waitFor(() => nodeA.links.has(b.identity.nodeId), { what: "A–B link", timeoutMs: 5000 });
    // C joins through A carrying the network's newest list, which revokes B.
    const list = await issueRevocations(network.key, [12n]);
    nodeC = await start(c, [loopback(nodeA.listenPort)], false, list);
    await waitFor(() => nodeA.links.has(c.identity.nodeId) && !nodeA.links.has(b.identity.nodeId), {
      what: "A adopting the list: C linked, B cut off",
      timeoutMs: 5000,
    });
    // B keeps dialling and keeps being refused.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert(!nodeA.links.has(b.identity.nodeId), "the revoked node got its link back");
    assertEquals(nodeA.directory.get(b.identity.nodeId), undefined);
  } finally {
    await Promise.all([nodeA.stop(), nodeB.stop(), nodeC?.stop()]);
  }
});

Deno.test("gloeth node: strangers that connect and hang up, or say nothing, do not disturb the node", async () => {
  const network = await testNetwork();
  const [a, b] = await Promise.all([testMember(network, "a", 21n), testMember(network, "b", 22n)]);
  const nodeA = testNode(network, a, { listen: true });
  await nodeA.start();
  const silent: Deno.Conn[] = [];
  let nodeB: GloethNode | undefined;
  try {
    const port = nodeA.listenPort!;
    for (let i = 0; i < 20; i++) (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    for (let i = 0; i < 5; i++) silent.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    // A TLS client that hangs up right after the handshake, mid-HELLO.
    for (let i = 0; i < 5; i++) {
      const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
      const tls = await Deno.startTls(tcp, { hostname: "gloeth", caCerts: [network.caPem] });
      await tls.handshake();
      tls.close();
    }
    nodeB = testNode(network, b, { peers: [loopback(port)] });
    await nodeB.start();
    await waitFor(() => nodeA.links.has(b.identity.nodeId), {
      what: "a member still linking",
      timeoutMs: 5000,
    });
  } finally {
    for (const connection of silent) connection.close();
    await Promise.all([nodeA.stop(), nodeB?.stop()]);
  }
});

Deno.test("gloeth node: a member's session key that no channel can use is refused, not fatal", async () => {
  const network = await testNetwork();
  const [a, b] = await Promise.all([testMember(network, "a", 31n), testMember(network, "b", 32n)]);
  const nodeA = testNode(network, a);
  await nodeA.start();
  try {
    // A low-order X25519 point (all zeros), properly signed by a real member.
    const record = await encodeSessionKeys(
      b.identity.keys,
      b.identity.certificate,
      new Uint8Array(32),
      Date.now(),
    );
    assertEquals(await nodeA.directory.offer(record), "invalid");
    assertEquals(nodeA.directory.get(b.identity.nodeId), undefined);
  } finally {
    await nodeA.stop();
  }
});

Deno.test("gloeth node: a peer whose certificate expires while linked is cut off and forgotten", async () => {
  const network = await testNetwork();
  const [a, b] = await Promise.all([testMember(network, "a", 41n), testMember(network, "b", 42n)]);
  const nodeA = testNode(network, a, { listen: true });
  await nodeA.start();
  const nodeB = testNode(network, b, { peers: [loopback(nodeA.listenPort)] });
  await nodeB.start();
  try {
    await waitFor(() => nodeA.links.has(b.identity.nodeId) && nodeA.directory.get(b.identity.nodeId), {
      what: "A knowing B",
      timeoutMs: 5000,
    });
    nodeA.dropExpired(Date.now() + 2 * 86_400_000); // the fixture's certificates last a day
    assert(!nodeA.links.has(b.identity.nodeId), "the expired peer kept its link");
    assertEquals(nodeA.directory.get(b.identity.nodeId), undefined);
  } finally {
    await Promise.all([nodeA.stop(), nodeB.stop()]);
  }
});

Deno.test("gloeth node: session keys rotate under steady traffic without losing a frame, and old records stop opening", async () => {
  const network = await testNetwork();
  const [a, b, c] = await Promise.all([
    testMember(network, "a", 51n),
    testMember(network, "b", 52n),
    testMember(network, "c", 53n),
  ]);
  const ports = [new MemoryPort(), new MemoryPort(), new MemoryPort()];
  const rekeyMs = 1200; // grace 240 ms
  const nodeB = testNode(network, b, { port: ports[1], listen: true, rekeyMs });
  await nodeB.start();
  const bAddress = loopback(nodeB.listenPort);
  const nodeA = testNode(network, a, { port: ports[0], peers: [bAddress], rekeyMs });
  const nodeC = testNode(network, c, { port: ports[2], peers: [bAddress], rekeyMs });
  await Promise.all([nodeA.start(), nodeC.start()]);
  try {
    await waitFor(() =>
      nodeA.frames.counters() && nodeC.directory.get(a.identity.nodeId) !== undefined &&
      nodeA.directory.get(c.identity.nodeId) !== undefined && nodeA.routes.has(c.identity.nodeId) &&
      // C's broadcast goes only to nodes it has a route to: without this, a slow announcement lost it.
      nodeC.routes.has(a.identity.nodeId), {
      what: "A and C knowing each other's keys and routes",
      timeoutMs: 10_000,
    });
    // C's MAC becomes known at A, so A's frames to it are unicast through B.
    ports[2].push(ethernet("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0c", "hello"));
    await waitFor(() => ports[0].written.length >= 1, {
      what: "C's hello at A",
      timeoutMs: 5000,
      describe: () => JSON.stringify([nodeA, nodeB, nodeC].map((node) => node.counters)),
    });

    const toC = nodeB.links.get(c.identity.nodeId)!;
    const honestSend = toC.sendRecord.bind(toC);
    let recorded: Uint8Array | undefined;
    toC.sendRecord = (record) => {
      if (record[0] === MessageType.frame) recorded ??= record.slice();
      return honestSend(record);
    };

    const keysOfA = new Set<string>();
    const sent = 90; // one every 40 ms: 3.6 s, three rotations of each node
    for (let i = 0; i < sent; i++) {
      ports[0].push(ethernet("02:00:00:00:00:0c", "02:00:00:00:00:0a", `frame ${i}`));
      keysOfA.add(String(nodeC.directory.get(a.identity.nodeId)?.sessionKey));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await waitFor(() => ports[2].written.length >= sent, {
      what: `all ${sent} frames at C`,
      timeoutMs: 5000,
      describe: () => `${ports[2].written.length} arrived; ${JSON.stringify(nodeC.frames.counters())}`,
    });
    assert(keysOfA.size >= 3, `C saw ${keysOfA.size} session keys of A`);
    const refused = nodeC.frames.counters();
    assertEquals([refused.auth, refused.replay, refused.unknownSource], [0, 0, 0]);

    // A frame recorded at B in the first second, played to C again: its keys are gone (or, if its
    // counter is one the new keys have used, it is refused as a replay before any decryption).
    honestSend(recorded!);
    await waitFor(() => nodeC.frames.counters().auth + nodeC.frames.counters().replay === 1, {
      what: "C refusing the old record",
      timeoutMs: 5000,
      describe: () => JSON.stringify(nodeC.frames.counters()),
    });
    assertEquals(ports[2].written.length, sent, "the old record was delivered");
  } finally {
    await Promise.all([nodeA.stop(), nodeB.stop(), nodeC.stop()]);
  }
});

Deno.test("gloeth node: a forgotten node's old key record never makes a channel again (its nonces would repeat)", async () => {
  const network = await testNetwork();
  const [a, b] = await Promise.all([testMember(network, "a", 61n), testMember(network, "b", 62n)]);
  const nodeA = testNode(network, a, { listen: true });
  await nodeA.start();
  const nodeB = testNode(network, b, { peers: [loopback(nodeA.listenPort)] });
  await nodeB.start();
  try {
    await waitFor(() => nodeA.directory.get(b.identity.nodeId) !== undefined, {
      what: "A knowing B's keys",
      timeoutMs: 5000,
    });
    const record = nodeA.directory.get(b.identity.nodeId)!.record;
    nodeA.dropExpired(Date.now() + 2 * 86_400_000); // B is forgotten, its channel wiped
    assertEquals(nodeA.directory.get(b.identity.nodeId), undefined);
    // The same signed record again (a link coming back would resend it): valid, but already used.
    assertEquals(await nodeA.directory.offer(record), "stale");
    assertEquals(nodeA.directory.get(b.identity.nodeId), undefined);
  } finally {
    await Promise.all([nodeA.stop(), nodeB.stop()]);
  }
});

Deno.test("gloeth node: a member relaying another node's handshake through its own TLS session gets no link", async () => {
  const network = await testNetwork();
  const [a, b, m] = await Promise.all([
    testMember(network, "a", 71n),
    testMember(network, "b", 72n),
    testMember(network, "m", 73n),
  ]);
  const nodeB = testNode(network, b, { listen: true });
  await nodeB.start();
  // M holds a valid TLS certificate of the network and relays everything A says to B and back.
  const relay = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert: m.certPem, key: m.keyPem });
  let relayed = 0;
  const toB = async () => {
    const tcp = await Deno.connect({ hostname: "127.0.0.1", port: nodeB.listenPort! });
    return Deno.startTls(tcp, { hostname: LINK_SERVER_NAME, caCerts: [network.caPem] });
  };
  const relaying = (async () => {
    for await (const fromA of relay) {
      toB().then((upstream) => {
        relayed++;
        fromA.readable.pipeTo(upstream.writable).catch(() => {});
        upstream.readable.pipeTo(fromA.writable).catch(() => {});
      }, () => fromA.close());
    }
  })();
  const nodeA = testNode(network, a, { peers: [loopback(relay.addr.port)] });
  await nodeA.start();
  try {
    await waitFor(() => relayed >= 2, { what: "A's probe and a second dial through M", timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assertEquals([...nodeA.links.keys()], [], "A linked through M");
    assertEquals(nodeB.links.has(a.identity.nodeId), false);
  } finally {
    relay.close();
    await relaying.catch(() => {});
    await Promise.all([nodeA.stop(), nodeB.stop()]);
  }
});
