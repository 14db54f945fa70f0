/** Why a transfer stopped short, in a word metrics can count (the client's own ERROR text is in `reason`). */
export type TftpFailure = "timeout" | "client_error" | "server_stopping";

/** How one read transfer ended. */
export interface TransferResult {
  ok: boolean;
  /** Bytes the client acknowledged. */
  bytes: number;
  blocks: number;
  /** OACKs and windows sent again after a timeout. */
  retransmits: number;
  reason?: string;
  failure?: TftpFailure;
}
