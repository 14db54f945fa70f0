import { type Negotiation, unwrapBlock } from "../../net/tftp/mod.ts";
import { type TransferLink, waitForAck } from "./ack_wait.ts";
import type { BlockSource } from "./block_source.ts";
import type { TftpFailure, TransferResult } from "./transfer_result.ts";
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
 * The data phase of a read (RFC 1350, windowed as in RFC 7440): a window of blocks, then wait for an ACK.
 * Duplicate or stale ACKs are ignored — only a timeout resends, which is the cure for the Sorcerer's
 * Apprentice bug. An ACK inside the window (RFC 7440: the client lost the rest) moves the window to just
 * after it. Block numbers wrap at 65536; positions are tracked unwrapped. Runs after the option
 * handshake, if there was one.
 */
export async function sendWindows(options: WindowLoopOptions): Promise<TransferResult> {
  const { content, negotiation: { blockSize, windowSize } } = options;
  const sender = new WindowSender(options);
  sender.startSegmenting();
  // A file whose size is a multiple of the block size ends with an empty block.
  const lastBlock = Math.floor(content.length / blockSize) + 1;
  let acked = 0;
  let retransmits = 0;
  // Before the last block is acknowledged, every acknowledged block was a full one.
  const stopped = (failure: TftpFailure, reason: string): TransferResult => ({
    ok: false,
    bytes: acked * blockSize,
    blocks: acked,
    retransmits,
    reason,
    failure,
  });
  let tries = 0;
  while (acked < lastBlock) {
    const windowEnd = Math.min(acked + windowSize, lastBlock);
    sender.sendWindow(acked + 1, windowEnd);
    for (;;) {
      const reply = await waitForAck(options, options.timeoutMs);
      if (reply.kind === "stop") return stopped("server_stopping", "server stopping");
      if (reply.kind === "error") return stopped("client_error", reply.message);
      if (reply.kind === "timeout") {
        if (++tries > options.retries) return stopped("timeout", "client stopped acknowledging");
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
