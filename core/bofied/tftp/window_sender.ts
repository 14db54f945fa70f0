import { type Negotiation, TFTP_DATA_HEADER_LENGTH, wireBlock, writeData } from "../../net/tftp/mod.ts";
import { isErrno, type UdpSocket } from "../../sys/mod.ts";
import type { BlockSource } from "./block_source.ts";

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

export interface WindowSenderOptions {
  socket: UdpSocket;
  peer: { address: string; port: number };
  content: BlockSource;
  negotiation: Pick<Negotiation, "blockSize" | "windowSize">;
}

/**
 * Puts a window of DATA blocks on the wire. Block by block at first; once segmenting is on, a window's
 * blocks leave in as few sends as UDP GSO allows: the kernel cuts one buffer of DATA packets laid end to
 * end into datagrams, which costs far less than a syscall per block. Only the file's last block is short,
 * and it is always last in its send, as GSO requires.
 */
export class WindowSender {
  readonly #options: WindowSenderOptions;
  readonly #blockSize: number;
  readonly #group: number;
  // One block's packet, reused for every block sent on its own.
  readonly #packet: Uint8Array;
  #run: Uint8Array | undefined;

  constructor(options: WindowSenderOptions) {
    this.#options = options;
    this.#blockSize = options.negotiation.blockSize;
    this.#group = blocksPerSend(options.negotiation);
    this.#packet = new Uint8Array(TFTP_DATA_HEADER_LENGTH + this.#blockSize);
  }

  /**
   * Turns segmenting on when the window is wide enough and the kernel has UDP_SEGMENT. Only for the data
   * phase, once the OACK is acknowledged: kernels before the "min(datalen, gso_size)" fix refuse even a
   * short datagram (the OACK) from a segmenting socket. Off for good at the first refused send.
   */
  startSegmenting(): void {
    const segmentSize = TFTP_DATA_HEADER_LENGTH + this.#blockSize;
    if (this.#group < 2 || !this.#options.socket.segmentDatagrams(segmentSize)) return;
    this.#run = new Uint8Array(this.#group * segmentSize);
  }

  /** Sends blocks `first` to `last` (unwrapped positions, from 1). */
  sendWindow(first: number, last: number): void {
    for (let position = first; position <= last;) {
      position = this.#run ? this.#sendRun(this.#run, position, last) : this.#sendBlock(position);
    }
  }

  /** Sends one block; returns the position after it. */
  #sendBlock(position: number): number {
    const { socket, peer, content } = this.#options;
    const start = (position - 1) * this.#blockSize;
    const payload = content.subarray(start, Math.min(start + this.#blockSize, content.length));
    const length = writeData(wireBlock(position), payload, this.#packet);
    socket.sendTo(this.#packet.subarray(0, length), peer.address, peer.port);
    return position + 1;
  }

  /**
   * Sends up to a group of blocks from `position` in one segmented send; returns the position after them,
   * or `position` itself when the send was refused and segmenting is off for good.
   */
  #sendRun(run: Uint8Array, position: number, last: number): number {
    const { socket, peer, content } = this.#options;
    const blockSize = this.#blockSize;
    const end = Math.min(last, position + this.#group - 1);
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
      return end + 1;
    } catch (error) {
      // Refused: a device that cannot checksum for us (EIO), an old kernel (EINVAL), or segments too
      // big for the route's MTU (EMSGSIZE; a single block may still go, as IP fragments). Block by
      // block from here on.
      if (!isErrno(error, "EIO") && !isErrno(error, "EINVAL") && !isErrno(error, "EMSGSIZE")) throw error;
      this.#run = undefined;
      socket.segmentDatagrams(0);
      return position;
    }
  }
}
