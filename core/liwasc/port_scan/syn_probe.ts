import { IP_PROTOCOL_TCP } from "../../net/ipv4.ts";
import { finishChecksum, foldCarries, onesComplementSum, pseudoHeaderSum } from "../../net/checksum.ts";
import { encodeTcp, TCP_SYN } from "../../net/tcp.ts";

/** What every SYN of a scan shares: our port, the advertised window and the options. */
export interface SynProbeShape {
  sourcePort: number;
  window: number;
  /** Option bytes, a multiple of 4 long. */
  options: Uint8Array;
}

/**
 * Writes a scan's SYNs straight into send buffers: one segment is encoded once (encodeTcp) as the
 * template, and each probe changes only the destination port and sequence number, so its checksum is the
 * template's fixed part plus those words (one's complement sums add in any order). No allocation per
 * probe, where encodeTcp allocates and sums every byte.
 */
export class SynProbeWriter {
  readonly length: number;
  readonly #template: Uint8Array;
  readonly #fixedSum: number;

  constructor(shape: SynProbeShape) {
    if (shape.options.length % 4 !== 0) {
      throw new RangeError("SYN options must be a multiple of 4 bytes long");
    }
    this.#template = encodeTcp({
      sourcePort: shape.sourcePort,
      destinationPort: 0,
      sequence: 0,
      flags: TCP_SYN,
      window: shape.window,
      options: shape.options,
    }, { source: 0, destination: 0 });
    this.length = this.#template.length;
    // The sum of every byte but the checksum field, with port and sequence zero.
    this.#fixedSum = onesComplementSum(this.#template, 0, 16, onesComplementSum(this.#template, 18));
  }

  /** The pseudo-header part of the checksum for one source and destination (computed once per host). */
  addressSum(source: number, destination: number): number {
    return pseudoHeaderSum(source, destination, IP_PROTOCOL_TCP, this.length);
  }

  /** Writes the SYN to `destinationPort` with `sequence` at the start of `into`; its length. */
  write(into: Uint8Array, addressSum: number, destinationPort: number, sequence: number): number {
    into.set(this.#template);
    into[2] = destinationPort >>> 8;
    into[3] = destinationPort & 0xff;
    into[4] = sequence >>> 24;
    into[5] = (sequence >>> 16) & 0xff;
    into[6] = (sequence >>> 8) & 0xff;
    into[7] = sequence & 0xff;
    const checksum = finishChecksum(
      foldCarries(this.#fixedSum + addressSum + destinationPort + (sequence >>> 16) + (sequence & 0xffff)),
    );
    into[16] = checksum >>> 8;
    into[17] = checksum & 0xff;
    return this.length;
  }
}
