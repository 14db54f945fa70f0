// The data phase on one reactor against scripted clients on loopback: many transfers at once, a silent
// client (resent windows, then a timeout), a stranger on the transfer's port, a short timeout joining a
// long one, and a server stop in the middle.
import { createHash } from "node:crypto";
import { assert, assertEquals } from "../../testing/assert.ts";
import {
  decodeTftp,
  encodeTftp,
  TFTP_DATA,
  TFTP_ERROR,
  TFTP_ERROR_UNKNOWN_TRANSFER_ID,
} from "../../net/tftp/mod.ts";
import { UdpSocket } from "../../sys/mod.ts";
import { TransferReactor } from "./transfer_reactor.ts";
import type { TransferResult } from "./transfer_result.ts";
import { WindowLoop } from "./window_loop.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

interface Pair {
  server: UdpSocket;
  client: UdpSocket;
  result: Promise<TransferResult>;
}

function startTransfer(
  reactor: TransferReactor,
  content: Uint8Array,
  options: {
    blockSize?: number;
    windowSize?: number;
    timeoutMs?: number;
    retries?: number;
    signal?: AbortSignal;
  },
): Pair {
  const server = UdpSocket.open({ address: "127.0.0.1" });
  const client = UdpSocket.open({ address: "127.0.0.1" });
  const link = {
    socket: server,
    peer: { address: "127.0.0.1", port: client.localAddress().port },
    signal: options.signal ?? new AbortController().signal,
    spinMs: 0,
    content,
    negotiation: { blockSize: options.blockSize ?? 512, windowSize: options.windowSize ?? 1 },
    timeoutMs: options.timeoutMs ?? 1000,
    retries: options.retries ?? 3,
  };
  return { server, client, result: reactor.run(link, new WindowLoop(link)) };
}

/** A lock-step (or windowed) client that fetches everything; returns the bytes in order. */
async function fetchAll(pair: Pair, blockSize = 512, windowSize = 1): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const serverPort = pair.server.localAddress().port;
  let expected = 1;
  for (const deadline = AbortSignal.timeout(20_000);;) {
    const datagram = await pair.client.receive({ signal: deadline });
    const packet = decodeTftp(datagram.data);
    if (!packet.ok || packet.value.op !== TFTP_DATA || packet.value.block !== (expected & 0xffff)) continue;
    chunks.push(packet.value.data.slice());
    const last = packet.value.data.length < blockSize;
    if (expected % windowSize === 0 || last) {
      pair.client.sendTo(encodeTftp({ op: 4, block: packet.value.block }), "127.0.0.1", serverPort);
    }
    expected++;
    if (last) break;
  }
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  chunks.reduce((at, chunk) => (joined.set(chunk, at), at + chunk.length), 0);
  return joined;
}

function close(...pairs: Pair[]) {
  for (const pair of pairs) {
    pair.server.close();
    pair.client.close();
  }
}

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) {
    crypto.getRandomValues(bytes.subarray(i, Math.min(length, i + 65536)));
  }
  return bytes;
}

Deno.test("tftp reactor: 40 transfers at once, lock-step and windowed, each arrives whole", async () => {
  const reactor = new TransferReactor({ spinMs: 0.2, spinningTransfers: 4 });
  const files = Array.from({ length: 40 }, (_, i) => randomBytes(512 * (30 + i) + i));
  const pairs = files.map((file, i) => startTransfer(reactor, file, { windowSize: i % 2 === 0 ? 1 : 4 }));
  try {
    const fetched = await Promise.all(pairs.map((pair, i) => fetchAll(pair, 512, i % 2 === 0 ? 1 : 4)));
    const results = await Promise.all(pairs.map((pair) => pair.result));
    for (const [i, file] of files.entries()) {
      assertEquals(sha256(fetched[i]), sha256(file), `transfer ${i}`);
      assertEquals(results[i], { ok: true, bytes: file.length, blocks: 31 + i, retransmits: 0 });
    }
  } finally {
    await reactor.close();
    close(...pairs);
  }
});

Deno.test("tftp reactor: a silent client gets the window again at each timeout, then the transfer ends", async () => {
  const reactor = new TransferReactor({ spinMs: 0, spinningTransfers: 4 });
  const pair = startTransfer(reactor, randomBytes(5000), { windowSize: 2, timeoutMs: 60, retries: 2 });
  try {
    const started = performance.now();
    const result = await pair.result;
    const elapsed = performance.now() - started;
    assertEquals(result, {
      ok: false,
      bytes: 0,
      blocks: 0,
      retransmits: 2,
      reason: "client stopped acknowledging",
      failure: "timeout",
    });
    assert(elapsed >= 170 && elapsed < 2000, `gave up after ${elapsed} ms, not after 3 × 60 ms`);
    const blocks: number[] = [];
    for (let datagram; (datagram = pair.client.tryReceive());) {
      const packet = decodeTftp(datagram.data);
      if (packet.ok && packet.value.op === TFTP_DATA) blocks.push(packet.value.block);
    }
    assertEquals(blocks, [1, 2, 1, 2, 1, 2], "the first window, sent once and resent twice");
  } finally {
    await reactor.close();
    close(pair);
  }
});

Deno.test("tftp reactor: a stranger gets 'unknown transfer ID' and the transfer goes on", async () => {
  const reactor = new TransferReactor({ spinMs: 0, spinningTransfers: 4 });
  const file = randomBytes(512 * 4 + 10);
  const pair = startTransfer(reactor, file, {});
  const stranger = UdpSocket.open({ address: "127.0.0.1" });
  try {
    stranger.sendTo(encodeTftp({ op: 4, block: 1 }), "127.0.0.1", pair.server.localAddress().port);
    const answer = decodeTftp((await stranger.receive({ signal: AbortSignal.timeout(5000) })).data);
    assert(answer.ok && answer.value.op === TFTP_ERROR);
    assertEquals(answer.value.code, TFTP_ERROR_UNKNOWN_TRANSFER_ID);
    assertEquals(sha256(await fetchAll(pair)), sha256(file));
    assertEquals((await pair.result).ok, true);
  } finally {
    stranger.close();
    await reactor.close();
    close(pair);
  }
});

Deno.test("tftp reactor: a short timeout that joins a long one still fires on time", async () => {
  const reactor = new TransferReactor({ spinMs: 0, spinningTransfers: 4 });
  const slow = startTransfer(reactor, randomBytes(600), { timeoutMs: 20_000, retries: 0 });
  // Let the reactor park on the long deadline first.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const quick = startTransfer(reactor, randomBytes(600), { timeoutMs: 50, retries: 0 });
  try {
    const started = performance.now();
    const result = await quick.result;
    assertEquals(result.failure, "timeout");
    assert(performance.now() - started < 1000, "the quick transfer waited for the slow one's deadline");
  } finally {
    await reactor.close();
    assertEquals((await slow.result).failure, "server_stopping");
    close(slow, quick);
  }
});

Deno.test("tftp reactor: a server stop ends running transfers at once", async () => {
  const reactor = new TransferReactor({ spinMs: 0, spinningTransfers: 4 });
  const stop = new AbortController();
  const pairs = [0, 1, 2].map(() => startTransfer(reactor, randomBytes(5000), { signal: stop.signal }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = performance.now();
    stop.abort();
    const results = await Promise.all(pairs.map((pair) => pair.result));
    assert(performance.now() - started < 500);
    assertEquals(results.map((result) => result.failure), [
      "server_stopping",
      "server_stopping",
      "server_stopping",
    ]);
    // A transfer that comes after the stop ends before it starts.
    const late = startTransfer(reactor, randomBytes(10), { signal: stop.signal });
    assertEquals((await late.result).failure, "server_stopping");
    close(late);
  } finally {
    await reactor.close();
    close(...pairs);
  }
});
