// The OACK handshake against a scripted client on loopback: agreed, refused, never answered, answered
// with the wrong block, and skipped when no option was accepted.
import { assert, assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { decodeTftp, encodeTftp, type Negotiation, TFTP_OACK, type TftpPacket } from "../../net/tftp/mod.ts";
import { UdpSocket } from "../../sys/mod.ts";
import { acknowledgeOptions, type OptionHandshakeResult } from "./option_handshake.ts";

const withOptions: Negotiation = {
  oack: new Map([["blksize", "1024"], ["windowsize", "4"]]),
  blockSize: 1024,
  windowSize: 4,
  timeout: undefined,
  transferSize: undefined,
};

/**
 * Runs the handshake with a client that answers each packet it receives with `answer(packet, count)`
 * (undefined: stays silent). Returns the result and what the client received.
 */
async function handshake(
  negotiation: Negotiation,
  answer: (packet: TftpPacket, count: number) => TftpPacket | undefined,
): Promise<{ result: OptionHandshakeResult; received: TftpPacket[] }> {
  const server = UdpSocket.open({ address: "127.0.0.1" });
  const client = UdpSocket.open({ address: "127.0.0.1" });
  const stopClient = new AbortController();
  const received: TftpPacket[] = [];
  const serverPort = server.localAddress().port;
  const clientLoop = (async () => {
    for (;;) {
      let datagram;
      try {
        datagram = await client.receive({ signal: stopClient.signal });
      } catch {
        return;
      }
      const packet = decodeTftp(datagram.data);
      assert(packet.ok);
      received.push(packet.value);
      const reply = answer(packet.value, received.length);
      if (reply) client.sendTo(encodeTftp(reply), "127.0.0.1", serverPort);
    }
  })();
  try {
    const result = await acknowledgeOptions({
      socket: server,
      peer: { address: "127.0.0.1", port: client.localAddress().port },
      signal: new AbortController().signal,
      spinMs: 0,
      negotiation,
      timeoutMs: 50,
      retries: 2,
    });
    return { result, received };
  } finally {
    stopClient.abort();
    await clientLoop;
    server.close();
    client.close();
  }
}

Deno.test("tftp handshake: the OACK names the accepted options, and ACK 0 agrees to them", async () => {
  const { result, received } = await handshake(withOptions, () => ({ op: 4, block: 0 }));
  assertEquals(result, { ok: true, retransmits: 0 });
  assertStrictEquals(received.length, 1);
  const oack = received[0];
  assertStrictEquals(oack.op, TFTP_OACK);
  assertEquals(oack.op === TFTP_OACK ? [...oack.options] : [], [["blksize", "1024"], [
    "windowsize",
    "4",
  ]]);
});

Deno.test("tftp handshake: no accepted option, no OACK (RFC 1350: DATA 1 answers the request)", async () => {
  const { result, received } = await handshake({ ...withOptions, oack: new Map() }, () => undefined);
  assertEquals(result, { ok: true, retransmits: 0 });
  assertEquals(received, []);
});

Deno.test("tftp handshake: a client that refuses the options with ERROR ends the transfer", async () => {
  const { result } = await handshake(withOptions, () => ({ op: 5, code: 8, message: "no windows here" }));
  assertEquals(result, {
    ok: false,
    retransmits: 0,
    reason: "client: no windows here",
    failure: "client_error",
  });
});

Deno.test("tftp handshake: the OACK goes again at each timeout, then the transfer gives up", async () => {
  const { result, received } = await handshake(withOptions, () => undefined);
  assertEquals(result, {
    ok: false,
    retransmits: 2,
    reason: "no ACK of the OACK",
    failure: "timeout",
  });
  assertStrictEquals(received.length, 3);
});

Deno.test("tftp handshake: an ACK of another block is answered with the OACK again, not counted", async () => {
  const { result, received } = await handshake(
    withOptions,
    (_packet, count) => ({ op: 4, block: count === 1 ? 1 : 0 }),
  );
  assertEquals(result, { ok: true, retransmits: 0 });
  assertStrictEquals(received.length, 2);
});
