// Registries → the text of vendors.gen.json. Shared by scripts/gen_vendors.ts and the test that checks
// the committed file is current.
import { type Assignment, type PrefixBits } from "./prefix.ts";
import { DEFAULT_LOCATIONS, readRegistries, type RegistryLocations } from "./sources/registries.ts";
import { buildVendorTable, formatVendorTable } from "./table_encode.ts";
import type { VendorSource } from "./table_json.ts";

export interface GeneratedTable {
  text: string;
  source: VendorSource;
  counts: Record<PrefixBits, number>;
  /** Group (I/G) and locally administered (U/L) blocks left out, and source lines that held no block. */
  dropped: number;
  skipped: number;
}

function firstOctet({ bits, prefix }: Assignment): number {
  return Math.floor(prefix / 2 ** (bits - 8));
}

/**
 * vendorOf names only universally administered unicast addresses: a locally administered one (a VM, a
 * phone's random MAC) belongs to no vendor whatever its bits, and group addresses are named after the
 * OUI they derive from. Blocks listed with either bit set (IEEE CIDs, Wireshark's notes on historic
 * multicast and "not registered" prefixes) could never be answered, so they are not shipped.
 */
function isUniversalUnicast(assignment: Assignment): boolean {
  return (firstOctet(assignment) & 0x03) === 0;
}

export async function generateVendorTable(
  locations: RegistryLocations = DEFAULT_LOCATIONS,
): Promise<GeneratedTable | undefined> {
  const registries = await readRegistries(locations);
  if (!registries) return undefined;
  const kept = registries.assignments.filter(isUniversalUnicast);
  const table = buildVendorTable(kept, registries.source);
  const counts = { 24: 0, 28: 0, 36: 0 };
  for (const bits of [24, 28, 36] as const) counts[bits] = table.prefixes[bits].length / (bits / 4);
  return {
    text: formatVendorTable(table),
    source: registries.source,
    counts,
    dropped: registries.assignments.length - kept.length,
    skipped: registries.skipped,
  };
}
