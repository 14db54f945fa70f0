// Which counters a receiver has already accepted, so a recorded frame cannot be played back. The same
// bitmap as WireGuard and RFC 6479: 2048 bits in 32-bit blocks used as a ring, indexed by counter. A new
// highest counter clears only the blocks it moves past, so even a jump of billions costs at most 64
// block writes, and frames reordered by the network are still accepted as long as they are within
// REPLAY_WINDOW_SIZE of the highest counter seen.
//
// Counters are JS numbers up to 2^53 - 1 (the sender never goes beyond; see send_counter.ts): every
// division and remainder below is exact in that range.

const BLOCK_BITS = 32;
const BLOCKS = 64;

/**
 * How far below the highest accepted counter a counter may be and still be judged on its own. One block
 * short of the 2048 bits, because the block holding the highest counter is only partly in the past.
 */
export const REPLAY_WINDOW_SIZE = BLOCKS * BLOCK_BITS - BLOCK_BITS;

export class ReplayWindow {
  #blocks = new Uint32Array(BLOCKS);
  #highest = -1;

  /**
   * True, and remembered, for a counter never accepted before and no more than REPLAY_WINDOW_SIZE
   * below the highest accepted one; false otherwise (including for values that are not counters).
   * Call it only for frames whose AEAD tag verified, or forgeries could move the window.
   */
  accept(counter: number): boolean {
    if (!Number.isSafeInteger(counter) || counter < 0) return false;
    if (counter < this.#highest - REPLAY_WINDOW_SIZE) return false;
    const block = Math.floor(counter / BLOCK_BITS);
    if (counter > this.#highest) {
      const highestBlock = Math.floor(this.#highest / BLOCK_BITS);
      const newBlocks = Math.min(block - highestBlock, BLOCKS);
      for (let i = 1; i <= newBlocks; i++) this.#blocks[(highestBlock + i) % BLOCKS] = 0;
      this.#highest = counter;
    }
    const index = block % BLOCKS;
    const bit = 1 << (counter % BLOCK_BITS);
    if (this.#blocks[index] & bit) return false;
    this.#blocks[index] |= bit;
    return true;
  }
}
