// Seeded random bytes for fuzz tests (core/testing/random.ts): a failing input can be regenerated.
import { below, type Random } from "../../../testing/random.ts";

export function randomBytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => below(random, 256));
}

/** A copy of `bytes` with bit `bit` (0 = most significant bit of byte 0) inverted. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[bit >> 3] ^= 0x80 >> (bit & 7);
  return copy;
}
