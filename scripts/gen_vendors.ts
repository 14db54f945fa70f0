// Writes core/liwasc/vendors/vendors.gen.json, the MAC prefix → organisation table behind liwasc's
// vendorOf, from the IEEE registries installed here: Debian's ieee-data CSVs (/usr/share/ieee-data) when
// present, else Wireshark's manuf (libwireshark-data). manuf is GPL-2.0-or-later; a table derived from it
// may be distributed under CTPF's AGPL-3.0 (GPL-2.0-or-later permits GPL-3.0, whose section 13 permits
// combining with AGPL-3.0 code). The source, its sha256 and package version are recorded in the file.
//
// Usage: deno run --allow-read --allow-write scripts/gen_vendors.ts [--check]
//   --check   write nothing; exit 1 when the committed file differs from what would be generated
import { generateVendorTable } from "../core/liwasc/vendors/generate.ts";
import { DEFAULT_LOCATIONS } from "../core/liwasc/vendors/sources/registries.ts";

export const OUTPUT = new URL("../core/liwasc/vendors/vendors.gen.json", import.meta.url);

function usage(message: string): never {
  console.error(`${message}\nusage: gen_vendors.ts [--check]`);
  Deno.exit(2);
}

async function main(args: string[]): Promise<number> {
  let check = false;
  for (const arg of args) {
    if (arg === "--check") check = true;
    else usage(`unknown argument ${arg}`);
  }
  const generated = await generateVendorTable();
  if (!generated) {
    usage(
      `no MAC registry found: install ieee-data (${DEFAULT_LOCATIONS.ieeeDataDir}/oui.csv) ` +
        `or libwireshark-data (${DEFAULT_LOCATIONS.manufFile})`,
    );
  }
  const from = generated.source.files.map((file) => file.file).join(", ");
  if (!check) {
    await Deno.writeTextFile(OUTPUT, generated.text);
    const { counts, dropped, skipped } = generated;
    console.log(
      `wrote ${OUTPUT.pathname} (${generated.text.length} characters) from ${from}: ` +
        `${counts[24]} /24, ${counts[28]} /28, ${counts[36]} /36 blocks; ` +
        `${dropped} group or local blocks and ${skipped} other lines left out`,
    );
    return 0;
  }
  const committed = await Deno.readTextFile(OUTPUT).catch(() => undefined);
  if (committed === generated.text) return 0;
  console.error(`${OUTPUT.pathname} is not what ${from} generates; run scripts/gen_vendors.ts`);
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
