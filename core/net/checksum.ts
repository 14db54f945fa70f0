// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the data
// taken as big-endian 16-bit words, an odd last byte padded with zero.
//
// Sums are kept folded to 16 bits and NOT complemented, so partial sums over pieces (a pseudo-header, a
// header, a payload) can be fed into one another; only the finished value is complemented.

/**
 * One's complement sum of bytes[start..end) added to `initial` (a previous folded sum), folded to 16 bits.
 * `start` must be at an even position of the checksummed stream; an odd length pads its last byte with zero.
 */
export function onesComplementSum(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  initial = 0,
): number {
  // A plain number holds 2^53: no carry handling is needed inside the loop for any packet size.
  let sum = initial;
  const evenEnd = start + ((end - start) & ~1);
  for (let i = start; i < evenEnd; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (evenEnd < end) sum += bytes[evenEnd] << 8;
  return foldCarries(sum);
}

/** The checksum to put in a header: complement of the folded sum. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  return ~onesComplementSum(bytes, start, end, initial) & 0xffff;
}

/** Complements a folded sum into the value that goes on the wire. */
export function finishChecksum(sum: number): number {
  return ~foldCarries(sum) & 0xffff;
}

export function foldCarries(sum: number): number {
  // Two folds suffice for 32-bit sums, but the sum here may exceed 32 bits; loop until it fits.
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * RFC 1624 eqn. 3: the new checksum after one 16-bit word of the covered data changed from `oldWord` to
 * `newWord`, without re-reading the data (a router decrementing TTL, a NAT rewriting an address half).
 */
export function updateChecksum(checksum: number, oldWord: number, newWord: number): number {
  return ~foldCarries((~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff)) & 0xffff;
}

/**
 * Sums data arriving in pieces of any length, e.g. a frame scattered over several buffers. A piece that
 * starts at an odd position of the stream is summed byte-swapped (RFC 1071 section 2(B)): in one's
 * complement arithmetic a byte swap of the sum equals the sum of the byte-swapped words.
 */
export class ChecksumAccumulator {
  #sum = 0;
  #odd = false;

  add(bytes: Uint8Array, start = 0, end = bytes.length): this {
    const pieceSum = onesComplementSum(bytes, start, end);
    this.#sum = foldCarries(this.#sum + (this.#odd ? swapBytes(pieceSum) : pieceSum));
    if (((end - start) & 1) === 1) this.#odd = !this.#odd;
    return this;
  }

  /** Adds a 16-bit word at the current (even) position, e.g. a pseudo-header field. */
  addWord(word: number): this {
    if (this.#odd) {
      throw new RangeError("addWord needs an even stream position; an odd-length piece came before");
    }
    this.#sum = foldCarries(this.#sum + (word & 0xffff));
    return this;
  }

  /** The folded, uncomplemented sum so far. */
  get sum(): number {
    return this.#sum;
  }

  checksum(): number {
    return finishChecksum(this.#sum);
  }
}

function swapBytes(word: number): number {
  return ((word & 0xff) << 8) | (word >>> 8);
}

/** Sum of the IPv4 pseudo-header that UDP and TCP checksums cover (RFC 768, RFC 9293). */
export function pseudoHeaderSum(
  source: number,
  destination: number,
  protocol: number,
  transportLength: number,
): number {
  return foldCarries(
    (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol +
      transportLength,
  );
}
