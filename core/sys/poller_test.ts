import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { deadline, settlesWithin, withTimeout } from "../testing/harness/wait.ts";
import { ClosedError, Poller } from "./poller.ts";
import { UdpSocket } from "./udp.ts";

// Loopback UDP sockets give readiness events without privileges.

const encoder = new TextEncoder();

function loopbackPair(poller: Poller): [UdpSocket, UdpSocket, number] {
  const receiver = UdpSocket.open({ address: "127.0.0.1", poller });
  const sender = UdpSocket.open({ address: "127.0.0.1", poller });
  return [receiver, sender, receiver.localAddress().port];
}

Deno.test("poller: a wait resolves when data arrives later", async () => {
  await using poller = new Poller();
  const [receiver, sender, port] = loopbackPair(poller);
  using _r = receiver;
  using _s = sender;
  const received = receiver.receive();
  setTimeout(() => sender.sendTo(encoder.encode("late"), "127.0.0.1", port), 30);
  const datagram = await withTimeout(received, 5_000, "receive");
  assertStrictEquals(new TextDecoder().decode(datagram.data), "late");
  assertEquals({ address: datagram.address, port: datagram.port }, sender.localAddress());
});

Deno.test("poller: close() rejects a pending wait with ClosedError and returns promptly", async () => {
  const poller = new Poller();
  const [receiver, sender, _port] = loopbackPair(poller);
  try {
    const pending = receiver.receive();
    await new Promise((resolve) => setTimeout(resolve, 20)); // let epoll_wait start on its thread
    const started = performance.now();
    assert(await settlesWithin(poller.close(), 1_000), "close() did not return");
    await assertRejects(pending, ClosedError);
    const elapsed = performance.now() - started;
    assert(elapsed < 200, `close took ${elapsed.toFixed(1)} ms`);
    assert(poller.closed);
    await assertRejects(poller.readable(receiver.fd), ClosedError);
  } finally {
    receiver.close();
    sender.close();
    await poller.close();
  }
});

Deno.test("poller: an aborted wait rejects with the signal's reason and leaves no op behind", async () => {
  await using poller = new Poller();
  const [receiver, sender] = loopbackPair(poller);
  using _r = receiver;
  using _s = sender;
  using timeout = deadline(50, "receive on a silent socket");
  await assertRejects(receiver.receive({ signal: timeout.signal }), /timed out after 50 ms/);
  // Already aborted: rejects without touching the kernel.
  await assertRejects(receiver.receive({ signal: timeout.signal }), /timed out/);
});

Deno.test("poller: closing a socket rejects its pending receive with ClosedError", async () => {
  await using poller = new Poller();
  const [receiver, sender] = loopbackPair(poller);
  using _s = sender;
  const pending = receiver.receive();
  receiver.close();
  await assertRejects(
    pending,
    (error: unknown) => error instanceof ClosedError && /udp 127\.0\.0\.1/.test(error.message),
  );
  assertThrows(() => receiver.fd, ClosedError);
  receiver.close(); // twice is fine
});

Deno.test("poller: many sockets wait at once and each wakes for its own datagram", async () => {
  await using poller = new Poller();
  const sender = UdpSocket.open({ address: "127.0.0.1", poller });
  const receivers = Array.from({ length: 40 }, () => UdpSocket.open({ address: "127.0.0.1", poller }));
  try {
    const pending = receivers.map((receiver) => receiver.receive());
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (const [index, receiver] of receivers.entries()) {
      if (index % 2 === 1) sender.sendTo(Uint8Array.of(index), "127.0.0.1", receiver.localAddress().port);
    }
    for (const [index, receiver] of receivers.entries()) {
      if (index % 2 === 0) sender.sendTo(Uint8Array.of(index), "127.0.0.1", receiver.localAddress().port);
    }
    const datagrams = await withTimeout(Promise.all(pending), 5_000, "40 receives");
    assertEquals(datagrams.map((datagram) => datagram.data[0]), receivers.map((_, index) => index));
  } finally {
    for (const receiver of receivers) receiver.close();
    sender.close();
  }
});

Deno.test("poller: read and write waiters on one fd are independent", async () => {
  await using poller = new Poller();
  const [receiver, sender, port] = loopbackPair(poller);
  using _r = receiver;
  using _s = sender;
  const readable = receiver.readable();
  await receiver.writable(); // an idle UDP socket is writable at once
  assertStrictEquals(await settlesWithin(readable, 30), false);
  sender.sendTo(encoder.encode("x"), "127.0.0.1", port);
  await readable;
});

Deno.test("poller: receive drains a burst with sync reads", async () => {
  await using poller = new Poller();
  const [receiver, sender, port] = loopbackPair(poller);
  using _r = receiver;
  using _s = sender;
  // Fewer datagrams than the default receive buffer holds: UDP drops the excess instead of queueing.
  const count = 100;
  using timeout = deadline(5_000, "burst of datagrams");
  const consumer = (async () => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await receiver.receive({ signal: timeout.signal })).data[0]);
    return seen;
  })();
  for (let i = 0; i < count; i++) sender.sendTo(Uint8Array.of(i & 0xff), "127.0.0.1", port);
  const seen = await consumer;
  assertStrictEquals(seen.length, count);
  assertEquals(seen, Array.from({ length: count }, (_, i) => i));
});
