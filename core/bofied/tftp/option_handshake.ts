import { encodeTftp, type Negotiation, TFTP_OACK } from "../../net/tftp/mod.ts";
import { type TransferLink, waitForAck } from "./ack_wait.ts";
import type { TftpFailure } from "./transfer_result.ts";

export interface OptionHandshakeOptions extends TransferLink {
  negotiation: Negotiation;
  /** How long to wait for the ACK of the OACK before sending it again. */
  timeoutMs: number;
  /** OACKs sent again before giving up. */
  retries: number;
}

/** How the handshake ended: the transfer may start, or it is over before any data left. */
export type OptionHandshakeResult =
  | { ok: true; retransmits: number }
  | { ok: false; retransmits: number; reason: string; failure: TftpFailure };

/**
 * The start of a read transfer with options (RFC 2347): the accepted options go out in an OACK, and the
 * client's ACK of block 0 agrees to them. Until that ACK, the OACK is sent again at each timeout (an ACK
 * of another block changes nothing and is answered with the OACK again); a client that answers with
 * ERROR refuses the options, and the transfer ends. When no option was accepted there is no OACK: as in
 * RFC 1350, the first DATA block answers the request, so the handshake is over at once.
 */
export async function acknowledgeOptions(options: OptionHandshakeOptions): Promise<OptionHandshakeResult> {
  if (options.negotiation.oack.size === 0) return { ok: true, retransmits: 0 };
  const { socket, peer } = options;
  const oack = encodeTftp({ op: TFTP_OACK, options: options.negotiation.oack });
  let retransmits = 0;
  for (let tries = 0;;) {
    socket.sendTo(oack, peer.address, peer.port);
    const reply = await waitForAck(options, options.timeoutMs);
    if (reply.kind === "ack" && reply.block === 0) return { ok: true, retransmits };
    if (reply.kind === "error") {
      return { ok: false, retransmits, reason: reply.message, failure: "client_error" };
    }
    if (reply.kind === "stop") {
      return { ok: false, retransmits, reason: "server stopping", failure: "server_stopping" };
    }
    if (reply.kind === "timeout") {
      if (++tries > options.retries) {
        return { ok: false, retransmits, reason: "no ACK of the OACK", failure: "timeout" };
      }
      retransmits++;
    }
  }
}
