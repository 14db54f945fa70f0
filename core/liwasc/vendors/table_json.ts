// The shape of vendors.gen.json, shared by the generator that writes it and the lookup that reads it.
//
// It is packed for size rather than laid out one entry per line: ~52,000 assignments as JSON rows would be
// several megabytes embedded in every binary. Each prefix length gets one string of fixed-width uppercase
// hex prefixes in ascending order (binary-searchable as it is, no parsing at start-up) and a parallel
// string of fixed-width base-36 indexes into the organisation names, which are deduplicated and joined
// into one string. A file made only of objects and strings is also exactly what `deno fmt` writes, so the
// generated file is format-clean without running the formatter.
import type { PrefixBits } from "./prefix.ts";

export const TABLE_FORMAT = "ctpf-mac-vendors/1: prefixes[bits] is sorted uppercase hex, bits/4 digits per " +
  "prefix; nameIndexes[bits] the matching base-36 indexes, indexWidth digits each, into names split at '|'";

/** No organisation name contains it (the generator checks), and JSON needs no escape for it. */
export const NAME_SEPARATOR = "|";

export interface VendorSourceFile {
  file: string;
  sha256: string;
}

/** Which snapshot of the registries the table was built from. */
export interface VendorSource {
  kind: "ieee-csv" | "wireshark-manuf";
  files: VendorSourceFile[];
  /** The Debian package and version that installed the files, when dpkg knows it. */
  package?: string;
  /** Newest IEEE "Last-Modified" the source's header records, when it records any. */
  date?: string;
  license?: string;
}

export type PerPrefixLength<T> = Record<`${PrefixBits}`, T>;

export interface VendorTableJson {
  source: VendorSource;
  format: string;
  indexWidth: number;
  prefixes: PerPrefixLength<string>;
  nameIndexes: PerPrefixLength<string>;
  names: string;
}
