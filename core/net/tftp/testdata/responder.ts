// A minimal TFTP server for tests, built on the codec: it answers real clients (curl) on 127.0.0.1 and
// records every datagram they send, so tests can check both the transfer and the exact bytes on the wire.
// One transfer socket per request (a new TID, as RFC 1350 §4 asks), lockstep or windowed, no retransmits
// (loopback does not lose datagrams).
import dgram from "node:dgram";
import {
  blockCount,
  decodeTftp,
  encodeNetascii,
  encodeTftp,
  negotiate,
  type NegotiationLimits,
  netasciiLength,
  TFTP_ACK,
  TFTP_DATA,
  TFTP_ERROR_FILE_NOT_FOUND,
  TFTP_ERROR_ILLEGAL_OPERATION,
  TFTP_OACK,
  TFTP_RRQ,
  TFTP_WRQ,
  tftpError,
  type TftpRequest,
  unwrapBlock,
  wireBlock,
  writeAck,
  writeData,
} from "../mod.ts";

export interface Responder extends AsyncDisposable {
  readonly port: number;
  /** Every datagram clients sent, on the listening port or a transfer port, in arrival order. */
  readonly received: Uint8Array[];
  /** Every datagram the responder sent. */
  readonly sent: Uint8Array[];
  /** Files clients wrote, by filename, once their transfer ended. */
  readonly uploads: Map<string, Uint8Array>;
  /** Settles when `count` transfers have ended (or failed). */
  transfersDone(count: number): Promise<void>;
}

export async function startResponder(
  files: ReadonlyMap<string, Uint8Array>,
  limits: NegotiationLimits = {},
): Promise<Responder> {
  const received: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  const uploads = new Map<string, Uint8Array>();
  const sockets: dgram.Socket[] = [];
  let finished = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const transferEnded = () => {
    finished++;
    for (const waiter of waiters) if (finished >= waiter.count) waiter.resolve();
  };

  const bind = async () => {
    const socket = dgram.createSocket("udp4");
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    return socket;
  };
  // A copy goes out: node:dgram may still hold the bytes after send() returns, and the callers reuse
  // one buffer per transfer.
  const send = (socket: dgram.Socket, bytes: Uint8Array, port: number) => {
    const copy = bytes.slice();
    sent.push(copy);
    socket.send(copy, port, "127.0.0.1");
  };

  const listener = await bind();
  listener.on("message", async (message: Uint8Array, peer: dgram.RemoteInfo) => {
    received.push(new Uint8Array(message));
    const packet = decodeTftp(new Uint8Array(message));
    if (!packet.ok || (packet.value.op !== TFTP_RRQ && packet.value.op !== TFTP_WRQ)) {
      const reason = packet.ok ? "expected a request" : packet.error.reason;
      send(listener, encodeTftp(tftpError(TFTP_ERROR_ILLEGAL_OPERATION, reason)), peer.port);
      return;
    }
    const transfer = await bind();
    transfer.on("message", (bytes: Uint8Array) => received.push(new Uint8Array(bytes)));
    if (packet.value.op === TFTP_RRQ) serveRead(transfer, packet.value, peer.port);
    else serveWrite(transfer, packet.value, peer.port);
  });

  function serveRead(socket: dgram.Socket, request: TftpRequest, port: number): void {
    const file = files.get(request.filename);
    if (file === undefined) {
      send(socket, encodeTftp(tftpError(TFTP_ERROR_FILE_NOT_FOUND)), port);
      transferEnded();
      return;
    }
    const content = request.mode === "netascii" ? encodeNetascii(file) : file;
    const fileSize = request.mode === "netascii" ? netasciiLength(file) : file.length;
    const { oack, blockSize, windowSize } = negotiate(request, { ...limits, fileSize });
    const total = blockCount(content.length, blockSize);
    const buffer = new Uint8Array(4 + blockSize);
    let acked = 0;
    let sentUpTo = 0;
    const sendWindow = () => {
      while (sentUpTo < total && sentUpTo < acked + windowSize) {
        sentUpTo++;
        const start = (sentUpTo - 1) * blockSize;
        const payload = content.subarray(start, Math.min(content.length, start + blockSize));
        send(socket, buffer.subarray(0, writeData(wireBlock(sentUpTo), payload, buffer)), port);
      }
    };
    socket.on("message", (bytes: Uint8Array) => {
      const packet = decodeTftp(new Uint8Array(bytes));
      if (!packet.ok || packet.value.op !== TFTP_ACK) return end();
      const position = unwrapBlock(packet.value.block, acked);
      if (position === 0 && sentUpTo === 0) return sendWindow(); // ACK 0 confirms the OACK
      if (position <= acked) return;
      acked = position;
      if (acked >= total) return end();
      sendWindow();
    });
    const end = () => {
      socket.removeAllListeners("message");
      transferEnded();
    };
    if (oack.size > 0) send(socket, encodeTftp({ op: TFTP_OACK, options: oack }), port);
    else sendWindow();
  }

  function serveWrite(socket: dgram.Socket, request: TftpRequest, port: number): void {
    const { oack, blockSize } = negotiate(request, limits);
    const parts: Uint8Array[] = [];
    let position = 0;
    const ack = new Uint8Array(4);
    socket.on("message", (bytes: Uint8Array) => {
      const packet = decodeTftp(new Uint8Array(bytes));
      if (!packet.ok || packet.value.op !== TFTP_DATA) return end();
      if (unwrapBlock(packet.value.block, position) !== position + 1) return;
      position++;
      parts.push(packet.value.data.slice());
      writeAck(packet.value.block, ack);
      send(socket, ack, port);
      if (packet.value.data.length < blockSize) {
        const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
        let offset = 0;
        for (const part of parts) whole.set(part, (offset += part.length) - part.length);
        uploads.set(request.filename, whole);
        end();
      }
    });
    const end = () => {
      socket.removeAllListeners("message");
      transferEnded();
    };
    if (oack.size > 0) send(socket, encodeTftp({ op: TFTP_OACK, options: oack }), port);
    else send(socket, ack.slice(0, writeAck(0, ack)), port);
  }

  return {
    port: listener.address().port,
    received,
    sent,
    uploads,
    transfersDone(count: number) {
      if (finished >= count) return Promise.resolve();
      const { promise, resolve } = Promise.withResolvers<void>();
      waiters.push({ count, resolve });
      return promise;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
      );
    },
  };
}
