import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { Lab } from "../testing/harness/lab.ts";
import { rootTest } from "../testing/harness/root.ts";
import { deadline } from "../testing/harness/wait.ts";
import { isErrno, SysError } from "./errno.ts";
import { setLinkUp } from "./iface.ts";
import { withNetns } from "./netns.ts";
import { UdpSocket } from "./udp.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("udp: loopback datagrams, kernel-chosen port and truncation reporting", async () => {
  using a = UdpSocket.open({ address: "127.0.0.1" });
  using b = UdpSocket.open({ address: "127.0.0.1" });
  const { port } = a.localAddress();
  assert(port > 0);
  assertStrictEquals(a.tryReceive(), null);

  assertStrictEquals(b.sendTo(encoder.encode("0123456789"), "127.0.0.1", port), 10);
  using timeout = deadline(3_000, "loopback datagram");
  const small = new Uint8Array(4);
  const received = await a.receiveInto(small, { signal: timeout.signal });
  assertEquals(received, {
    length: 4,
    truncated: true,
    address: "127.0.0.1",
    port: b.localAddress().port,
  });
  assertStrictEquals(decoder.decode(small), "0123");
});

Deno.test("udp: a port taken without SO_REUSEADDR gives EADDRINUSE naming the address", () => {
  using first = UdpSocket.open({ address: "127.0.0.1", reuseAddress: false });
  const { port } = first.localAddress();
  assertThrows(
    () => UdpSocket.open({ address: "127.0.0.1", port, reuseAddress: false }),
    (error: unknown) =>
      isErrno(error, "EADDRINUSE") && error.message.startsWith(`bind(127.0.0.1:${port}): EADDRINUSE`),
  );
  assertThrows(() => UdpSocket.open({ address: "127.0.0.256" }), TypeError);
  assertThrows(() => UdpSocket.open({ port: 70000 }), RangeError);
});

Deno.test("udp: a connected socket hears only its peer, learns of a closed port, and is closed when the connect fails", async () => {
  using peer = UdpSocket.open({ address: "127.0.0.1" });
  using stranger = UdpSocket.open({ address: "127.0.0.1" });
  using connected = UdpSocket.openConnected("127.0.0.1", peer.localAddress().port, { address: "127.0.0.1" });
  const { port } = connected.localAddress();
  stranger.sendTo(encoder.encode("not for you"), "127.0.0.1", port);
  peer.sendTo(encoder.encode("hello"), "127.0.0.1", port);
  using timeout = deadline(3_000, "the peer's datagram");
  const first = await connected.receive({ signal: timeout.signal });
  assertEquals([decoder.decode(first.data), first.port], ["hello", peer.localAddress().port]);
  assertStrictEquals(connected.tryReceive(), null);

  // Nothing listens on a port just freed: the kernel's port unreachable arrives as ECONNREFUSED.
  const closedPort = (() => {
    using gone = UdpSocket.open({ address: "127.0.0.1" });
    return gone.localAddress().port;
  })();
  using toClosed = UdpSocket.openConnected("127.0.0.1", closedPort);
  toClosed.sendTo(encoder.encode("anyone?"), "127.0.0.1", closedPort);
  using refused = deadline(3_000, "ECONNREFUSED");
  await assertRejects(() => toClosed.receive({ signal: refused.signal }), SysError, "ECONNREFUSED");

  // A broadcast peer without SO_BROADCAST is refused by connect(2): the socket does not leak.
  const openFds = () => [...Deno.readDirSync("/proc/self/fd")].length;
  const before = openFds();
  assertThrows(
    () => UdpSocket.openConnected("255.255.255.255", 9),
    (error: unknown) => isErrno(error, "EACCES"),
  );
  assertStrictEquals(openFds(), before);
});

rootTest("udp: SO_BINDTODEVICE to a missing interface gives ENODEV naming the option and interface", () => {
  assertThrows(() => UdpSocket.open({ device: "ctpfnodev9", port: 0 }), (error: unknown) => {
    assert(error instanceof SysError);
    assertStrictEquals(error.message, "setsockopt(SO_BINDTODEVICE ctpfnodev9): ENODEV (No such device)");
    assertStrictEquals(error.code, "ENODEV");
    return true;
  });
});

/** Namespaces A and B joined by veth ua0 (A) – ub0 (B), both up, no addresses, no routes. */
async function linkedPair(lab: Lab) {
  const a = await lab.netns({ ipv6: false });
  const b = await lab.netns({ ipv6: false });
  await lab.veth(a, "ua0", b, "ub0");
  withNetns(a.name, () => setLinkUp("ua0", true));
  withNetns(b.name, () => setLinkUp("ub0", true));
  return { a, b };
}

rootTest({
  name: "udp: a device-bound socket exchanges datagrams with socat in a peer namespace, no default route",
  tools: ["socat"],
  fn: async () => {
    await using lab = new Lab();
    const { a, b } = await linkedPair(lab);
    await a.addAddress("ua0", "10.79.0.1/24");
    await b.addAddress("ub0", "10.79.0.2/24");
    for (const ns of [a, b]) assert(!(await ns.routes()).some((route) => route.startsWith("default")));
    const echo = b.spawn(["socat", "UDP4-RECVFROM:7000,fork", "PIPE"]);

    using socket = withNetns(a.name, () => UdpSocket.open({ device: "ua0" }));
    assertStrictEquals(socket.device, "ua0");
    // socat needs a moment to bind: resend until it echoes, within a bounded number of tries.
    let reply: string | undefined;
    for (let attempt = 0; attempt < 25 && reply === undefined; attempt++) {
      socket.sendTo(encoder.encode("hello from A"), "10.79.0.2", 7000);
      using timeout = deadline(200, "echo");
      try {
        const datagram = await socket.receive({ signal: timeout.signal });
        assertEquals({ address: datagram.address, port: datagram.port }, {
          address: "10.79.0.2",
          port: 7000,
        });
        reply = decoder.decode(datagram.data);
      } catch (error) {
        if (!timeout.signal.aborted) throw error;
      }
    }
    assertStrictEquals(reply, "hello from A", `no echo from socat:\n${echo.output()}`);
  },
});

rootTest("udp: broadcast on a bound device works with no address and no route at all", async () => {
  await using lab = new Lab();
  const { a, b } = await linkedPair(lab);
  assertEquals(await a.routes(), []);
  assertEquals(await b.routes(), []);

  // Server side in A, client side in B, like DHCP before anyone has an address.
  using server = withNetns(a.name, () => UdpSocket.open({ device: "ua0", port: 6767, broadcast: true }));
  using client = withNetns(b.name, () => UdpSocket.open({ device: "ub0", port: 6868, broadcast: true }));
  using timeout = deadline(3_000, "broadcasts");

  client.sendTo(encoder.encode("discover"), "255.255.255.255", 6767);
  const request = await server.receive({ signal: timeout.signal });
  assertEquals(
    { text: decoder.decode(request.data), address: request.address, port: request.port },
    { text: "discover", address: "0.0.0.0", port: 6868 },
  );

  server.sendTo(encoder.encode("offer"), "255.255.255.255", 6868);
  const reply = await client.receive({ signal: timeout.signal });
  assertEquals(
    { text: decoder.decode(reply.data), address: reply.address, port: reply.port },
    { text: "offer", address: "0.0.0.0", port: 6767 },
  );
});

rootTest("udp: without SO_BINDTODEVICE the same broadcast fails with ENETUNREACH", async () => {
  await using lab = new Lab();
  const { a } = await linkedPair(lab);
  using unbound = withNetns(a.name, () => UdpSocket.open({ port: 6767, broadcast: true }));
  assertThrows(
    () => unbound.sendTo(encoder.encode("discover"), "255.255.255.255", 6868),
    (error: unknown) =>
      isErrno(error, "ENETUNREACH") &&
      error.message.startsWith("sendto(255.255.255.255:6868 from udp 0.0.0.0:6767)"),
  );
});
