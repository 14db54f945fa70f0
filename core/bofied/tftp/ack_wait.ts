import {
  decodeTftp,
  encodeTftp,
  TFTP_ACK,
  TFTP_ERROR,
  TFTP_ERROR_UNKNOWN_TRANSFER_ID,
  tftpError,
} from "../../net/tftp/mod.ts";
import type { UdpSocket } from "../../sys/mod.ts";
import type { TransferReactor } from "./transfer_reactor.ts";

/** One transfer's side of the conversation: its own socket (its transfer ID) and the client's. */
export interface TransferLink {
  socket: UdpSocket;
  peer: { address: string; port: number };
  /** Aborts when the server stops. */
  signal: AbortSignal;
  /**
   * How long to poll for each ACK before parking on the poller. Polling holds the JS thread, so the
   * server allows it only while few transfers run.
   */
  spinMs: number;
  /** Where the data phase runs (the server's, shared by its transfers); absent: one of its own. */
  reactor?: TransferReactor;
}

/** What came back while a transfer waited: an ACK, the client's ERROR, nothing in time, or a server stop. */
export type AckWait =
  | { kind: "ack"; block: number }
  | { kind: "timeout" }
  | { kind: "error"; message: string }
  | { kind: "stop" };

/** Waits for an ACK from the peer; other senders get "unknown transfer ID" and are otherwise ignored. */
export async function waitForAck(link: TransferLink, timeoutMs: number): Promise<AckWait> {
  const { socket, peer, signal } = link;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    // Loopback and LAN clients answer within tens of microseconds: polling with sync reads (~30 ns each)
    // for a short while beats parking on the poller (a nonblocking FFI call costs ~30 µs).
    let datagram = socket.tryReceive();
    for (const spinUntil = performance.now() + link.spinMs; !datagram && performance.now() < spinUntil;) {
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
