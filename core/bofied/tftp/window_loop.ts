import { type Negotiation, unwrapBlock } from "../../net/tftp/mod.ts";
import type { TransferLink } from "./ack_wait.ts";
import type { BlockSource } from "./block_source.ts";
import type { TftpFailure, TransferResult } from "./transfer_result.ts";
import { TransferReactor } from "./transfer_reactor.ts";
import { WindowSender } from "./window_sender.ts";

export interface WindowLoopOptions extends TransferLink {
  content: BlockSource;
  negotiation: Pick<Negotiation, "blockSize" | "windowSize">;
  /** How long to wait for an ACK before resending the window. */
  timeoutMs: number;
  /** Resends of the same window before giving up. */
  retries: number;
}

/**
 * The data phase of a read (RFC 1350, windowed as in RFC 7440) as a state machine the transfer reactor
 * drives: a window of blocks, then an ACK. Duplicate or stale ACKs are ignored — only a timeout resends,
 * which is the cure for the Sorcerer's Apprentice bug. An ACK inside the window (RFC 7440: the client lost
 * the rest) moves the window to just after it. Block numbers wrap at 65536; positions are tracked
 * unwrapped. Runs after the option handshake, if there was one.
 */
export class WindowLoop {
  readonly #options: WindowLoopOptions;
  readonly #sender: WindowSender;
  readonly #lastBlock: number;
  #acked = 0;
  #windowEnd = 0;
  #tries = 0;
  #retransmits = 0;
  #result: TransferResult | undefined;
  /** When the window goes again unless an ACK moves it (performance.now() milliseconds). */
  deadline = Infinity;

  constructor(options: WindowLoopOptions) {
    this.#options = options;
    this.#sender = new WindowSender(options);
    // A file whose size is a multiple of the block size ends with an empty block.
    this.#lastBlock = Math.floor(options.content.length / options.negotiation.blockSize) + 1;
  }

  /** How the transfer ended; undefined while it runs. */
  get result(): TransferResult | undefined {
    return this.#result;
  }

  /** Sends the first window. */
  start(now: number): void {
    this.#sender.startSegmenting();
    this.#sendWindow(now);
  }

  /** The client acknowledged `block` (as on the wire). */
  acknowledged(block: number, now: number): void {
    if (this.#result) return;
    const position = unwrapBlock(block, this.#acked);
    if (position <= this.#acked || position > this.#windowEnd) return; // stale or duplicate: never resend on it
    this.#tries = 0;
    this.#acked = position;
    if (position >= this.#lastBlock) {
      const { content } = this.#options;
      this.#result = {
        ok: true,
        bytes: content.length,
        blocks: this.#lastBlock,
        retransmits: this.#retransmits,
      };
      return;
    }
    this.#sendWindow(now);
  }

  /** No ACK came by the deadline: the window goes again from the first unacknowledged block, or it ends. */
  timedOut(now: number): void {
    if (this.#result) return;
    if (++this.#tries > this.#options.retries) return this.#stop("timeout", "client stopped acknowledging");
    this.#retransmits++;
    this.#sendWindow(now);
  }

  /** The client sent ERROR. */
  clientError(message: string): void {
    if (!this.#result) this.#stop("client_error", message);
  }

  serverStopping(): void {
    if (!this.#result) this.#stop("server_stopping", "server stopping");
  }

  #sendWindow(now: number): void {
    this.#windowEnd = Math.min(this.#acked + this.#options.negotiation.windowSize, this.#lastBlock);
    this.#sender.sendWindow(this.#acked + 1, this.#windowEnd);
    this.deadline = now + this.#options.timeoutMs;
  }

  // Before the last block is acknowledged, every acknowledged block was a full one.
  #stop(failure: TftpFailure, reason: string): void {
    const blocks = this.#acked;
    const bytes = blocks * this.#options.negotiation.blockSize;
    this.#result = { ok: false, bytes, blocks, retransmits: this.#retransmits, reason, failure };
  }
}

/**
 * Sends the data phase on the link's reactor (the server's, shared by all its transfers), or on one of
 * its own when the link has none.
 */
export async function sendWindows(options: WindowLoopOptions): Promise<TransferResult> {
  if (options.reactor) return await options.reactor.run(options, new WindowLoop(options));
  const reactor = new TransferReactor({ spinMs: options.spinMs, spinningTransfers: 1 });
  try {
    return await reactor.run(options, new WindowLoop(options));
  } finally {
    await reactor.close();
  }
}
