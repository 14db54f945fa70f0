import { TFTP_DEFAULT_BLOCK_SIZE } from "./codes.ts";

// Block numbers are 16 bits on the wire. RFC 1350 never says what comes after 65535, so transfers longer
// than 65535 blocks (32 MiB at 512 bytes) depend on the common convention: the count wraps to 0 and
// continues. A transfer therefore tracks an unwrapped position (blocks since the start, 1 for the first
// DATA) and maps each wire number back to it, relative to where the transfer is.

const BLOCK_MODULUS = 0x10000;
const HALF = 0x8000;

/** The wire number after `block`: block + 1 mod 65536. */
export function nextBlock(block: number): number {
  return (block + 1) & 0xffff;
}

/** The 16-bit wire number of an unwrapped block position. */
export function wireBlock(position: number): number {
  return ((position % BLOCK_MODULUS) + BLOCK_MODULUS) % BLOCK_MODULUS;
}

/**
 * The unwrapped position a wire block number stands for: of all positions with that number, the one
 * nearest `current` (within 32767 behind to 32768 ahead). With a window of at most 32768 blocks that is
 * always the block meant. A negative result names a block from before the transfer began: stale.
 */
export function unwrapBlock(wire: number, current: number): number {
  const delta = (wire - current) & 0xffff;
  return delta > HALF ? current + delta - BLOCK_MODULUS : current + delta;
}

/** Byte offset in the file of the data in a block position (position 1 starts at 0). */
export function blockOffset(position: number, blockSize: number = TFTP_DEFAULT_BLOCK_SIZE): number {
  return (position - 1) * blockSize;
}

/**
 * DATA packets a transfer of `size` bytes takes: every full block plus one shorter, possibly empty,
 * block that tells the receiver the transfer is over (RFC 1350 §6).
 */
export function blockCount(size: number, blockSize: number = TFTP_DEFAULT_BLOCK_SIZE): number {
  return Math.floor(size / blockSize) + 1;
}
