/** How one read transfer ended. */
export interface TransferResult {
  ok: boolean;
  /** Bytes the client acknowledged. */
  bytes: number;
  blocks: number;
  /** OACKs and windows sent again after a timeout. */
  retransmits: number;
  reason?: string;
}
