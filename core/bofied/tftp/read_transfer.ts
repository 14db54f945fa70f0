import type { Negotiation } from "../../net/tftp/mod.ts";
import type { TransferLink } from "./ack_wait.ts";
import type { BlockSource } from "./block_source.ts";
import { acknowledgeOptions } from "./option_handshake.ts";
import type { TransferResult } from "./transfer_result.ts";
import { sendWindows } from "./window_loop.ts";

export interface ReadTransferOptions extends TransferLink {
  /** The file as the client receives it (netascii already converted): in memory, or read per block. */
  content: BlockSource;
  negotiation: Negotiation;
  /** Seconds to wait for an ACK before resending (the client's timeout option wins). */
  timeoutSeconds: number;
  /** Resends of the same OACK or window before giving up. */
  retries: number;
}

/**
 * Sends one file to one client (RFC 1350 with 2347 OACK, 2348 blksize, 7440 windowsize): the option
 * handshake (option_handshake.ts), then the file window by window (window_loop.ts).
 */
export async function sendFile(options: ReadTransferOptions): Promise<TransferResult> {
  const timeoutMs = (options.negotiation.timeout ?? options.timeoutSeconds) * 1000;
  const handshake = await acknowledgeOptions({ ...options, timeoutMs });
  if (!handshake.ok) {
    const { retransmits, reason, failure } = handshake;
    return { ok: false, bytes: 0, blocks: 0, retransmits, reason, failure };
  }
  const data = await sendWindows({ ...options, timeoutMs });
  return { ...data, retransmits: handshake.retransmits + data.retransmits };
}
