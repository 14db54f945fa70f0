import {
  decodeTftp,
  encodeTftp,
  type Negotiation,
  TFTP_ACK,
  TFTP_DATA_HEADER_LENGTH,
  TFTP_ERROR,
  TFTP_ERROR_UNKNOWN_TRANSFER_ID,
  tftpError,
  unwrapBlock,
  wireBlock,
  writeData,
} from "../../net/tftp/mod.ts";
import { isErrno, type UdpSocket } from "../../sys/mod.ts";

export interface ReadTransferOptions {
  socket: UdpSocket;
  peer: { address: string; port: number };
  /** The file as the client receives it (netascii already converted): in memory, or read per block. */
  content: BlockSource;
  negotiation: Negotiation;
  /** Seconds to wait for an ACK before resending (the client's timeout option wins). */
  timeoutSeconds: number;
  /** Resends of the same window before giving up. */
  retries: number;
  signal: AbortSignal;
  /**
   * How long to poll for each ACK before parking on the poller. Polling holds the JS thread, so the
   * server allows it only while few transfers run.
   */
  spinMs: number;
}

// UDP_MAX_SEGMENTS in the kernel, and the largest UDP payload over IPv4.
const MAX_SEGMENTS = 64;
const MAX_UDP_PAYLOAD = 65_507;

/**
 * How many blocks of a window leave in one send (1: no segmentation offload for this transfer). A
 * quarter of the window: the client starts on the first run while the next is cut, where a whole
 * window in one send leaves it idle until all of it lands. Measured on loopback at blksize 1468 with a
 * windowed client, windows of 8/16/32: 152/169/192 MiB/s block by block, 124/207/243 in whole-window
 * runs, 159/228/275 in quarter-window runs.
 */
export function blocksPerSend(negotiation: Pick<Negotiation, "blockSize" | "windowSize">): number {
  if (negotiation.windowSize < 8) return 1;
  const fit = Math.floor(MAX_UDP_PAYLOAD / (TFTP_DATA_HEADER_LENGTH + negotiation.blockSize));
  return Math.max(1, Math.min(MAX_SEGMENTS, fit, Math.ceil(negotiation.windowSize / 4)));
}

/** What a transfer reads blocks from; a Uint8Array is one. */
export interface BlockSource {
  readonly length: number;
  subarray(start: number, end: number): Uint8Array;
}

/**
 * A file too large to hold in memory, read block by block with positioned sync reads: a block is a
 * page-cache copy of at most 64 KiB, cheaper than a nonblocking FFI hop, and memory stays one block per
 * transfer however many machines fetch a large image.
 */
export class FileBlocks implements BlockSource, Disposable {
  readonly #buffer: Uint8Array;

  constructor(private readonly file: Deno.FsFile, readonly length: number, maxBlock: number) {
    this.#buffer = new Uint8Array(maxBlock);
  }

  subarray(start: number, end: number): Uint8Array {
    this.file.seekSync(start, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < end - start) {
      const read = this.file.readSync(this.#buffer.subarray(filled, end - start));
      if (read === null || read === 0) break;
      filled += read;
    }
    return this.#buffer.subarray(0, filled);
  }

  [Symbol.dispose](): void {
    this.file.close();
  }
}

export interface TransferResult {
  ok: boolean;
  /** Bytes the client acknowledged. */
  bytes: number;
  blocks: number;
  retransmits: number;
  reason?: string;
}

type Wait = { kind: "ack"; block: number } | { kind: "timeout" } | { kind: "error"; message: string } | {
  kind: "stop";
};

/**
 * Sends one file to one client (RFC 1350 with 2347 OACK, 2348 blksize, 7440 windowsize): a window of
 * blocks, then wait for an ACK. Duplicate or stale ACKs are ignored — only a timeout resends, which is the
 * cure for the Sorcerer's Apprentice bug. An ACK inside the window (RFC 7440: the client lost the rest)
 * moves the window to just after it. Block numbers wrap at 65536; positions are tracked unwrapped.
 */
export async function sendFile(options: ReadTransferOptions): Promise<TransferResult> {
  const { socket, peer, content, negotiation } = options;
  const blockSize = negotiation.blockSize;
  // A file whose size is a multiple of the block size ends with an empty block.
  const lastBlock = Math.floor(content.length / blockSize) + 1;
  const timeoutMs = (negotiation.timeout ?? options.timeoutSeconds) * 1000;
  const packet = new Uint8Array(4 + blockSize);
  let retransmits = 0;

  const sendBlock = (position: number) => {
    const start = (position - 1) * blockSize;
    const payload = content.subarray(start, Math.min(start + blockSize, content.length));
    const length = writeData(wireBlock(position), payload, packet);
    socket.sendTo(packet.subarray(0, length), peer.address, peer.port);
  };

  // With a window, its blocks leave in as few sends as UDP GSO allows: the kernel cuts one buffer of
  // DATA packets laid end to end into datagrams, which costs far less than a syscall per block. Only
  // the file's last block is short, and it is always last in its send, as GSO requires.
  // Turned on once the OACK is acknowledged (kernels before the "min(datalen, gso_size)" fix refuse even
  // a short datagram from a segmenting socket), and off for good at the first refusal.
  const group = blocksPerSend(negotiation);
  let segmented = false;
  let run = packet;
  const startSegmenting = () => {
    if (group < 2 || !socket.segmentDatagrams(TFTP_DATA_HEADER_LENGTH + blockSize)) return;
    segmented = true;
    run = new Uint8Array(group * (TFTP_DATA_HEADER_LENGTH + blockSize));
  };
  const sendWindow = (first: number, last: number) => {
    for (let position = first; position <= last;) {
      if (!segmented) {
        sendBlock(position++);
        continue;
      }
      const end = Math.min(last, position + group - 1);
      const from = (position - 1) * blockSize;
      // One read for the whole run when the content is a file.
      const data = content.subarray(from, Math.min(end * blockSize, content.length));
      let length = 0;
      for (let block = position; block <= end; block++) {
        const at = (block - position) * blockSize;
        length += writeData(
          wireBlock(block),
          data.subarray(at, Math.min(at + blockSize, data.length)),
          run,
          length,
        );
      }
      try {
        socket.sendTo(run.subarray(0, length), peer.address, peer.port);
        position = end + 1;
      } catch (error) {
        // Refused: a device that cannot checksum for us (EIO), an old kernel (EINVAL), or segments too
        // big for the route's MTU (EMSGSIZE; a single block may still go, as IP fragments). Block by
        // block from here on.
        if (!isErrno(error, "EIO") && !isErrno(error, "EINVAL") && !isErrno(error, "EMSGSIZE")) throw error;
        segmented = false;
        socket.segmentDatagrams(0);
      }
    }
  };

  let acked = 0;
  if (negotiation.oack.size > 0) {
    const oack = encodeTftp({ op: 6, options: negotiation.oack });
    let tries = 0;
    for (;;) {
      socket.sendTo(oack, peer.address, peer.port);
      const reply = await waitForAck(options, timeoutMs);
      if (reply.kind === "ack" && reply.block === 0) break;
      if (reply.kind === "error") {
        return { ok: false, bytes: 0, blocks: 0, retransmits, reason: reply.message };
      }
      if (reply.kind === "stop") {
        return { ok: false, bytes: 0, blocks: 0, retransmits, reason: "server stopping" };
      }
      if (reply.kind === "timeout" && ++tries > options.retries) {
        return { ok: false, bytes: 0, blocks: 0, retransmits, reason: "no ACK of the OACK" };
      }
      if (reply.kind === "timeout") retransmits++;
    }
  }

  startSegmenting();
  let tries = 0;
  while (acked < lastBlock) {
    const windowEnd = Math.min(acked + negotiation.windowSize, lastBlock);
    sendWindow(acked + 1, windowEnd);
    for (;;) {
      const reply = await waitForAck(options, timeoutMs);
      if (reply.kind === "stop") {
        return { ok: false, bytes: acked * blockSize, blocks: acked, retransmits, reason: "server stopping" };
      }
      if (reply.kind === "error") {
        return {
          ok: false,
          bytes: Math.min(acked * blockSize, content.length),
          blocks: acked,
          retransmits,
          reason: reply.message,
        };
      }
      if (reply.kind === "timeout") {
        if (++tries > options.retries) {
          return {
            ok: false,
            bytes: Math.min(acked * blockSize, content.length),
            blocks: acked,
            retransmits,
            reason: "client stopped acknowledging",
          };
        }
        retransmits++;
        break; // resend the window from the first unacknowledged block
      }
      const position = unwrapBlock(reply.block, acked);
      if (position <= acked || position > windowEnd) continue; // stale or duplicate: never resend on it
      tries = 0;
      acked = position;
      break;
    }
  }
  return { ok: true, bytes: content.length, blocks: lastBlock, retransmits };
}

/** Waits for an ACK from the peer; other senders get "unknown transfer ID" and are otherwise ignored. */
async function waitForAck(options: ReadTransferOptions, timeoutMs: number): Promise<Wait> {
  const { socket, peer, signal } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    // Loopback and LAN clients answer within tens of microseconds: polling with sync reads (~30 ns each)
    // for a short while beats parking on the poller (a nonblocking FFI call costs ~30 µs).
    let datagram = socket.tryReceive();
    for (const spinUntil = performance.now() + options.spinMs; !datagram && performance.now() < spinUntil;) {
      datagram = socket.tryReceive();
    }
    if (!datagram) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return { kind: "timeout" };
      const timeout = AbortSignal.any([signal, AbortSignal.timeout(remaining)]);
      try {
        datagram = await socket.receive({ signal: timeout });
      } catch {
        return signal.aborted ? { kind: "stop" } : { kind: "timeout" };
      }
    }
    if (datagram.address !== peer.address || datagram.port !== peer.port) {
      try {
        socket.sendTo(encodeTftp(tftpError(TFTP_ERROR_UNKNOWN_TRANSFER_ID)), datagram.address, datagram.port);
      } catch { /* best effort */ }
      continue;
    }
    const decoded = decodeTftp(datagram.data);
    if (!decoded.ok) continue;
    if (decoded.value.op === TFTP_ACK) return { kind: "ack", block: decoded.value.block };
    if (decoded.value.op === TFTP_ERROR) {
      return { kind: "error", message: `client: ${decoded.value.message}` };
    }
  }
}
