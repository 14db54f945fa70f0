// Turns parsed registry assignments into the text of vendors.gen.json (layout: table_json.ts). Output
// depends only on the assignments and the source record, never on their order, so regenerating from the
// same registry snapshot gives the same bytes.
import { type Assignment, type PrefixBits, prefixHex } from "./prefix.ts";
import { NAME_SEPARATOR, TABLE_FORMAT, type VendorSource, type VendorTableJson } from "./table_json.ts";

const ASCENDING: readonly PrefixBits[] = [24, 28, 36];

const byCodeUnits = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0;

/**
 * One organisation per block. The IEEE listed a few early OUIs twice (08:00:30 went to three holders);
 * naming them all beats picking one by file order.
 */
function organisationPerBlock(assignments: Assignment[]): Map<PrefixBits, Map<number, string>> {
  const holders = new Map<PrefixBits, Map<number, Set<string>>>(ASCENDING.map((bits) => [bits, new Map()]));
  for (const { bits, prefix, organisation } of assignments) {
    const byPrefix = holders.get(bits)!;
    const names = byPrefix.get(prefix) ?? new Set();
    names.add(organisation);
    byPrefix.set(prefix, names);
  }
  return new Map(ASCENDING.map((bits) => [
    bits,
    new Map(
      [...holders.get(bits)!].map(([prefix, names]) => [prefix, [...names].sort(byCodeUnits).join(" / ")]),
    ),
  ]));
}

function base36Width(count: number): number {
  let width = 1;
  while (36 ** width < count) width++;
  return width;
}

export function buildVendorTable(assignments: Assignment[], source: VendorSource): VendorTableJson {
  const blocks = organisationPerBlock(assignments);
  const names = [...new Set([...blocks.values()].flatMap((byPrefix) => [...byPrefix.values()]))]
    .sort(byCodeUnits);
  const unjoinable = names.find((name) => name.includes(NAME_SEPARATOR) || name === "");
  if (unjoinable !== undefined) {
    throw new Error(
      `organisation name ${JSON.stringify(unjoinable)} is empty or contains "${NAME_SEPARATOR}"`,
    );
  }
  const nameIndex = new Map(names.map((name, index) => [name, index]));
  const indexWidth = base36Width(names.length);
  const prefixes: Record<string, string> = {};
  const nameIndexes: Record<string, string> = {};
  for (const bits of ASCENDING) {
    const sorted = [...blocks.get(bits)!].sort(([a], [b]) => a - b);
    prefixes[bits] = sorted.map(([prefix]) => prefixHex(prefix, bits)).join("");
    nameIndexes[bits] = sorted
      .map(([, name]) => nameIndex.get(name)!.toString(36).padStart(indexWidth, "0"))
      .join("");
  }
  return {
    source,
    format: TABLE_FORMAT,
    indexWidth,
    prefixes: prefixes as VendorTableJson["prefixes"],
    nameIndexes: nameIndexes as VendorTableJson["nameIndexes"],
    names: names.join(NAME_SEPARATOR),
  };
}

/** JSON.stringify's two-space layout of objects and strings is the layout `deno fmt` gives this file. */
export function formatVendorTable(table: VendorTableJson): string {
  return JSON.stringify(table, null, 2) + "\n";
}
