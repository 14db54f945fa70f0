/**
 * How long to wait for a probe's answer, learnt from the answers so far (RFC 6298's estimator, as nmap
 * and TCP use it): the smoothed round trip plus four times its variation, kept between a floor and a
 * ceiling. Before the first sample it is the ceiling, so a slow or silent target gets the full wait.
 */
export class RttTimeout {
  #smoothed = 0;
  #variation = 0;
  #samples = 0;

  constructor(readonly minMs: number, readonly maxMs: number) {}

  get samples(): number {
    return this.#samples;
  }

  /** One measured round trip (from a probe sent once only: a resent probe's answer is ambiguous). */
  sample(rttMs: number): void {
    if (!(rttMs >= 0)) return;
    if (this.#samples === 0) {
      this.#smoothed = rttMs;
      this.#variation = rttMs / 2;
    } else {
      this.#variation = 0.75 * this.#variation + 0.25 * Math.abs(this.#smoothed - rttMs);
      this.#smoothed = 0.875 * this.#smoothed + 0.125 * rttMs;
    }
    this.#samples++;
  }

  /** The wait for an answer now. */
  timeoutMs(): number {
    if (this.#samples === 0) return this.maxMs;
    return Math.min(this.maxMs, Math.max(this.minMs, this.#smoothed + 4 * this.#variation));
  }
}
