// Finds and reads the IEEE MAC registries installed on this machine. Debian's ieee-data CSVs are the
// registries as the IEEE publishes them and come first; Wireshark's manuf (libwireshark-data) is a merged
// copy of the same and the fallback. manuf is GPL-2.0-or-later, which lets the table derived from it ship
// under CTPF's AGPL-3.0 (GPLv3 section 13); the IEEE listings themselves are public facts.
import { createHash } from "node:crypto";
import type { Assignment } from "../prefix.ts";
import type { VendorSource, VendorSourceFile } from "../table_json.ts";
import { DPKG_STATUS, installedPackage } from "./dpkg.ts";
import { parseIeeeCsv } from "./ieee_csv.ts";
import { parseManuf } from "./manuf.ts";

export interface RegistryLocations {
  ieeeDataDir: string;
  manufFile: string;
  dpkgStatus: string;
}

export const DEFAULT_LOCATIONS: RegistryLocations = {
  ieeeDataDir: "/usr/share/ieee-data",
  manufFile: "/usr/share/wireshark/manuf",
  dpkgStatus: DPKG_STATUS,
};

/** MA-L first: without it there is no registry to speak of, and its presence decides the source. */
const IEEE_FILES = ["oui.csv", "mam.csv", "oui36.csv", "iab.csv", "cid.csv"];

export interface Registries {
  assignments: Assignment[];
  source: VendorSource;
  /** Source lines that hold no usable block (other prefix lengths, nameless rows). */
  skipped: number;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Which source readRegistries would use, without reading it: tests decide with it whether to run. */
export function availableRegistries(
  locations = DEFAULT_LOCATIONS,
): { kind: VendorSource["kind"]; file: string } | undefined {
  const oui = `${locations.ieeeDataDir}/oui.csv`;
  if (isFile(oui)) return { kind: "ieee-csv", file: oui };
  if (isFile(locations.manufFile)) return { kind: "wireshark-manuf", file: locations.manufFile };
  return undefined;
}

async function readSourceFile(file: string): Promise<{ text: string; record: VendorSourceFile }> {
  const bytes = await Deno.readFile(file);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), record: { file, sha256 } };
}

async function readIeeeData(locations: RegistryLocations): Promise<Registries> {
  const assignments: Assignment[] = [];
  const files: VendorSourceFile[] = [];
  let skipped = 0;
  for (const name of IEEE_FILES) {
    const path = `${locations.ieeeDataDir}/${name}`;
    if (!isFile(path)) continue;
    const { text, record } = await readSourceFile(path);
    const contents = parseIeeeCsv(text, path);
    assignments.push(...contents.assignments);
    skipped += contents.skipped;
    files.push(record);
  }
  const packageVersion = await installedPackage("ieee-data", locations.dpkgStatus);
  const source: VendorSource = {
    kind: "ieee-csv",
    files,
    ...(packageVersion ? { package: packageVersion } : {}),
  };
  return { assignments, source, skipped };
}

async function readManuf(locations: RegistryLocations): Promise<Registries> {
  const { text, record } = await readSourceFile(locations.manufFile);
  const contents = parseManuf(text);
  const packageVersion = await installedPackage("libwireshark-data", locations.dpkgStatus);
  const source: VendorSource = {
    kind: "wireshark-manuf",
    files: [record],
    ...(packageVersion ? { package: packageVersion } : {}),
    ...(contents.ieeeLastModified ? { date: contents.ieeeLastModified } : {}),
    license: "GPL-2.0-or-later",
  };
  return { assignments: contents.assignments, source, skipped: contents.skipped };
}

/** The registries from the preferred source present, or undefined when neither is installed. */
export async function readRegistries(locations = DEFAULT_LOCATIONS): Promise<Registries | undefined> {
  switch (availableRegistries(locations)?.kind) {
    case "ieee-csv":
      return await readIeeeData(locations);
    case "wireshark-manuf":
      return await readManuf(locations);
    case undefined:
      return undefined;
  }
}
