// A ChaCha20-Poly1305 key must never seal two messages under one nonce: that reveals the XOR of the
// plaintexts and lets anyone forge tags. The nonce is this counter, so it only ever moves forward and
// stops rather than wrap. 2^53 - 1 keeps it an exact JS number; at one million frames a second that is
// 285 years, but rekeying long before the end is still future work.

export const LAST_COUNTER = Number.MAX_SAFE_INTEGER;

export class CounterExhaustedError extends Error {
  constructor() {
    super(`send counter reached 2^53 - 1: this pair needs new keys before it can send again`);
    this.name = "CounterExhaustedError";
  }
}

export class SendCounter {
  #next: number;

  /** `first` exists for tests that need to start near the end; a channel always starts at 0. */
  constructor(first = 0) {
    if (!Number.isSafeInteger(first) || first < 0) throw new RangeError(`bad first counter ${first}`);
    this.#next = first;
  }

  next(): number {
    if (this.#next > LAST_COUNTER) throw new CounterExhaustedError();
    return this.#next++;
  }
}
