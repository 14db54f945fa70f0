// Longest-prefix lookup straight on the packed strings of vendors.gen.json (layout: table_json.ts): a
// binary search per prefix length compares fixed-width hex slices, so no per-entry structure is built;
// the names list is the only thing split out, once, when the table is made.
import type { MacAddress } from "../../net/mac.ts";
import { PREFIX_BITS, type PrefixBits, prefixHex, prefixOf } from "./prefix.ts";
import { NAME_SEPARATOR, type PerPrefixLength, TABLE_FORMAT, type VendorTableJson } from "./table_json.ts";

export interface Match {
  bits: PrefixBits;
  prefix: number;
  organisation: string;
}

export class VendorTable {
  readonly #prefixes: PerPrefixLength<string>;
  readonly #nameIndexes: PerPrefixLength<string>;
  readonly #indexWidth: number;
  readonly #names: string[];

  /** Checks the layout once, so a stale or hand-edited file fails here rather than as wrong answers. */
  constructor(json: VendorTableJson) {
    if (json.format !== TABLE_FORMAT) {
      throw new Error(`vendor table: unknown format ${JSON.stringify(json.format)}`);
    }
    this.#prefixes = json.prefixes;
    this.#nameIndexes = json.nameIndexes;
    this.#indexWidth = json.indexWidth;
    this.#names = json.names.split(NAME_SEPARATOR);
    if (
      !Number.isInteger(this.#indexWidth) || this.#indexWidth < 1 ||
      36 ** this.#indexWidth < this.#names.length
    ) {
      throw new Error(
        `vendor table: index width ${this.#indexWidth} does not fit ${this.#names.length} names`,
      );
    }
    for (const bits of PREFIX_BITS) {
      const count = this.count(bits);
      if (!Number.isInteger(count) || this.#nameIndexes[bits].length !== count * this.#indexWidth) {
        throw new Error(`vendor table: the /${bits} prefixes and name indexes do not line up`);
      }
    }
  }

  count(bits: PrefixBits): number {
    return this.#prefixes[bits].length / (bits / 4);
  }

  get nameCount(): number {
    return this.#names.length;
  }

  /** The most specific assignment holding `mac`, if any. */
  find(mac: MacAddress): Match | undefined {
    for (const bits of PREFIX_BITS) {
      const prefix = prefixOf(mac, bits);
      const index = this.#search(bits, prefixHex(prefix, bits));
      if (index >= 0) return { bits, prefix, organisation: this.#organisation(bits, index) };
    }
    return undefined;
  }

  #search(bits: PrefixBits, hex: string): number {
    const packed = this.#prefixes[bits];
    const width = hex.length;
    let low = 0;
    let high = packed.length / width - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = packed.slice(middle * width, middle * width + width);
      if (candidate === hex) return middle;
      if (candidate < hex) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  #organisation(bits: PrefixBits, index: number): string {
    const width = this.#indexWidth;
    const digits = this.#nameIndexes[bits].slice(index * width, index * width + width);
    const name = this.#names[Number.parseInt(digits, 36)];
    if (name === undefined) throw new Error(`vendor table: /${bits} entry ${index} names no organisation`);
    return name;
  }
}
