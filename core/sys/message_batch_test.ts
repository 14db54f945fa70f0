import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { deadline } from "../testing/harness/wait.ts";
import { isErrno } from "./errno.ts";
import { MessageBatch } from "./message_batch.ts";
import { decodeSockaddrIn, encodeSockaddrIn, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { UdpSocket } from "./udp.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Fills message `i` of `batch` with `text`, addressed to 127.0.0.1:`port`. */
function put(batch: MessageBatch, i: number, text: string, port: number) {
  const bytes = encoder.encode(text);
  batch.slot(i).set(bytes);
  batch.setLength(i, bytes.length);
  batch.address(i).set(encodeSockaddrIn("127.0.0.1", port));
}

Deno.test("message batch: sendmmsg sends each message with its own length, recvmmsg reads them in order", () => {
  using sender = UdpSocket.open({ address: "127.0.0.1" });
  using receiver = UdpSocket.open({ address: "127.0.0.1" });
  const port = receiver.localAddress().port;
  const out = new MessageBatch({ capacity: 8, slotBytes: 64, addressBytes: SOCKADDR_IN_SIZE });
  const texts = ["a", "", "three", "x".repeat(64), "fifth message"];
  texts.forEach((text, i) => put(out, i, text, port));
  assertStrictEquals(sender.sendBatch(out, 0, texts.length), texts.length);

  const into = new MessageBatch({ capacity: 8, slotBytes: 64, addressBytes: SOCKADDR_IN_SIZE });
  assertStrictEquals(receiver.tryReceiveBatch(into), texts.length);
  texts.forEach((text, i) => {
    assertStrictEquals(into.length(i), text.length);
    assertStrictEquals(into.truncated(i), false);
    assertStrictEquals(decoder.decode(into.slot(i).subarray(0, into.length(i))), text);
    assertEquals(decodeSockaddrIn(into.address(i), into.addressLength(i)), {
      address: "127.0.0.1",
      port: sender.localAddress().port,
    });
  });
  assertStrictEquals(receiver.tryReceiveBatch(into), null);
});

Deno.test("message batch: a longer datagram is cut to its slot and reported truncated; max bounds a receive", () => {
  using sender = UdpSocket.open({ address: "127.0.0.1" });
  using receiver = UdpSocket.open({ address: "127.0.0.1" });
  const port = receiver.localAddress().port;
  const out = new MessageBatch({ capacity: 4, slotBytes: 100, addressBytes: SOCKADDR_IN_SIZE });
  ["0123456789abcdef", "short", "third", "fourth"].forEach((text, i) => put(out, i, text, port));
  assertStrictEquals(sender.sendBatch(out, 0, 4), 4);

  // No source address wanted: msg_name is null and the kernel writes none.
  const into = new MessageBatch({ capacity: 4, slotBytes: 8 });
  assertStrictEquals(receiver.tryReceiveBatch(into, 2), 2);
  assertStrictEquals(into.length(0), 8);
  assertStrictEquals(into.truncated(0), true);
  assertStrictEquals(decoder.decode(into.slot(0)), "01234567");
  assertStrictEquals(into.truncated(1), false);
  assertStrictEquals(decoder.decode(into.slot(1).subarray(0, into.length(1))), "short");
  // The same batch again: lengths and flags are reset for the next two.
  assertStrictEquals(receiver.tryReceiveBatch(into), 2);
  assertStrictEquals(decoder.decode(into.slot(0).subarray(0, into.length(0))), "third");
  assertStrictEquals(into.truncated(0), false);
  assertStrictEquals(decoder.decode(into.slot(1).subarray(0, into.length(1))), "fourth");
});

Deno.test("message batch: a message the kernel refuses stops the batch there; the caller goes on after it", () => {
  using sender = UdpSocket.open({ address: "127.0.0.1" });
  using receiver = UdpSocket.open({ address: "127.0.0.1" });
  const port = receiver.localAddress().port;
  const out = new MessageBatch({ capacity: 3, slotBytes: 16, addressBytes: SOCKADDR_IN_SIZE });
  put(out, 0, "first", port);
  put(out, 1, "refused", 0); // port 0: EINVAL for UDP
  put(out, 2, "third", port);
  assertStrictEquals(sender.sendBatch(out, 0, 3), 1);
  assertThrows(() => sender.sendBatch(out, 1, 3), (error: unknown) => isErrno(error, "EINVAL"));
  assertStrictEquals(sender.sendBatch(out, 2, 3), 1);
  const into = new MessageBatch({ capacity: 3, slotBytes: 16 });
  assertStrictEquals(receiver.tryReceiveBatch(into), 2);
  assertEquals([0, 1].map((i) => decoder.decode(into.slot(i).subarray(0, into.length(i)))), [
    "first",
    "third",
  ]);
});

Deno.test("message batch: receiveBatch waits for the first datagram", async () => {
  using sender = UdpSocket.open({ address: "127.0.0.1" });
  using receiver = UdpSocket.open({ address: "127.0.0.1" });
  const into = new MessageBatch({ capacity: 4, slotBytes: 16 });
  using timeout = deadline(3_000, "a batch");
  const received = receiver.receiveBatch(into, { signal: timeout.signal });
  setTimeout(() => sender.sendTo(encoder.encode("late"), "127.0.0.1", receiver.localAddress().port), 20);
  assertStrictEquals(await received, 1);
  assertStrictEquals(decoder.decode(into.slot(0).subarray(0, into.length(0))), "late");
});

Deno.test("message batch: sizes and indexes outside the batch are refused before any system call", () => {
  assertThrows(() => new MessageBatch({ capacity: 0, slotBytes: 16 }), RangeError);
  assertThrows(() => new MessageBatch({ capacity: 1025, slotBytes: 16 }), RangeError);
  assertThrows(() => new MessageBatch({ capacity: 1, slotBytes: 65537 }), RangeError);
  assertThrows(() => new MessageBatch({ capacity: 1, slotBytes: 16, addressBytes: 129 }), RangeError);
  const batch = new MessageBatch({ capacity: 2, slotBytes: 16, addressBytes: SOCKADDR_IN_SIZE });
  assertThrows(() => batch.slot(2), RangeError);
  assertThrows(() => batch.setLength(0, 17), RangeError);
  assertThrows(() => batch.setLength(-1, 1), RangeError);
  using socket = UdpSocket.open({ address: "127.0.0.1" });
  assertThrows(() => socket.sendBatch(batch, 0, 3), RangeError);
  assertThrows(() => socket.sendBatch(batch, 1, 1), RangeError);
  assert(batch.slot(1).length === 16);
});
