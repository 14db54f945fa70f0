// Who made the network card behind a MAC address, from the IEEE registries as of the last
// `scripts/gen_vendors.ts`. The table is imported as JSON so `deno compile` and `deno bundle` embed it;
// importing parses it (~10 ms), and the first lookup checks its layout and splits out the names (~3 ms).
import { isBroadcastMac, isLocallyAdministeredMac, isMulticastMac, type MacAddress } from "../../net/mac.ts";
import data from "./vendors.gen.json" with { type: "json" };
import { macFromInput } from "./mac_input.ts";
import { formatPrefix, type PrefixBits } from "./prefix.ts";
import { type Match, VendorTable } from "./table.ts";
import type { VendorSource, VendorTableJson } from "./table_json.ts";

export type VendorKind = "registered" | "locally-administered" | "multicast" | "broadcast" | "unregistered";

export interface Vendor {
  /**
   * The registered organisation as the registry spells it (runs of spaces collapsed; a block the IEEE
   * listed for several holders names them all, joined with " / ").
   */
  name?: string;
  /** The registered block: "00:1B:21", "00:55:DA:10/28", "70:B3:D5:1A:B0/36". */
  prefix?: string;
  kind: VendorKind;
}

export interface VendorStats {
  entries: Record<PrefixBits, number>;
  names: number;
  source: VendorSource;
}

/** The I/G bit as a value: the least significant bit of the first of six octets. */
const GROUP_BIT = 2 ** 40;

let table: VendorTable | undefined;

function vendorTable(): VendorTable {
  // The JSON module's inferred type widens source.kind to string; the constructor checks the layout.
  return table ??= new VendorTable(data as VendorTableJson);
}

function named(kind: VendorKind, match: Match | undefined): Vendor {
  return match
    ? { name: match.organisation, prefix: formatPrefix(match.prefix, match.bits), kind }
    : { kind };
}

/**
 * The vendor of a MAC address given as "aa:bb:cc:dd:ee:ff", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff" (any
 * case) or 6 bytes; the longest registered block wins (36, then 28, then 24 bits). Locally administered
 * addresses (VMs, phones' random MACs) have no vendor whatever their bits. A multicast address is named
 * after the OUI it derives from (01:00:5E:… after IANA's 00:00:5E), unless it is also locally
 * administered (33:33:… for IPv6). Throws AddressSyntaxError (a TypeError) for anything else.
 */
export function vendorOf(mac: string | Uint8Array): Vendor {
  const address: MacAddress = macFromInput(mac);
  if (isBroadcastMac(address)) return { kind: "broadcast" };
  if (isMulticastMac(address)) {
    if (isLocallyAdministeredMac(address)) return { kind: "multicast" };
    return named("multicast", vendorTable().find(address - GROUP_BIT));
  }
  if (isLocallyAdministeredMac(address)) return { kind: "locally-administered" };
  const match = vendorTable().find(address);
  return match ? named("registered", match) : { kind: "unregistered" };
}

/** How many blocks of each length and distinct organisations the table holds, and where it came from. */
export function vendorStats(): VendorStats {
  const current = vendorTable();
  return {
    entries: { 24: current.count(24), 28: current.count(28), 36: current.count(36) },
    names: current.nameCount,
    source: (data as VendorTableJson).source,
  };
}
