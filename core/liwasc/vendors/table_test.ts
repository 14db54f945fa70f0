import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import type { Assignment } from "./prefix.ts";
import { VendorTable } from "./table.ts";
import { buildVendorTable, formatVendorTable } from "./table_encode.ts";
import type { VendorSource } from "./table_json.ts";

const SOURCE: VendorSource = { kind: "ieee-csv", files: [{ file: "fixture.csv", sha256: "0".repeat(64) }] };

const ASSIGNMENTS: Assignment[] = [
  { bits: 36, prefix: 0x70b3d51ab, organisation: "Small" },
  { bits: 24, prefix: 0x70b3d5, organisation: "Registration Authority" },
  { bits: 28, prefix: 0x0055da1, organisation: "Medium" },
  { bits: 24, prefix: 0x080030, organisation: "Network Research" },
  { bits: 24, prefix: 0x080030, organisation: "CERN" },
  { bits: 24, prefix: 0x080030, organisation: "CERN" },
  { bits: 24, prefix: 0x00000c, organisation: "Cisco" },
  { bits: 24, prefix: 0xfcfc48, organisation: "Apple" },
];

Deno.test("vendor table: longest prefix first, blocks found at both ends of the sorted list", () => {
  const table = new VendorTable(buildVendorTable(ASSIGNMENTS, SOURCE));
  assertEquals(table.find(0x70b3d51ab123), { bits: 36, prefix: 0x70b3d51ab, organisation: "Small" });
  assertEquals(table.find(0x70b3d51ac000), {
    bits: 24,
    prefix: 0x70b3d5,
    organisation: "Registration Authority",
  });
  assertEquals(table.find(0x0055da1fffff), { bits: 28, prefix: 0x0055da1, organisation: "Medium" });
  assertEquals(table.find(0x0055da200000), undefined);
  assertEquals(table.find(0x00000c000000)?.organisation, "Cisco");
  assertEquals(table.find(0xfcfc48ffffff)?.organisation, "Apple");
  assertEquals(table.find(0x00000b000000), undefined);
  assertEquals(table.find(0xffffffffffff), undefined);
  assertEquals([table.count(24), table.count(28), table.count(36)], [4, 1, 1]);
});

Deno.test("vendor table: a block listed for several holders names them all, each name stored once", () => {
  const json = buildVendorTable(ASSIGNMENTS, SOURCE);
  assertEquals(new VendorTable(json).find(0x080030000001)?.organisation, "CERN / Network Research");
  assertEquals(json.names.split("|").length, 6);
});

Deno.test("vendor table: output does not depend on input order", () => {
  const forward = formatVendorTable(buildVendorTable(ASSIGNMENTS, SOURCE));
  const backward = formatVendorTable(buildVendorTable([...ASSIGNMENTS].reverse(), SOURCE));
  assertEquals(backward, forward);
});

Deno.test("vendor table: names that cannot be joined and broken layouts are refused", () => {
  assertThrows(() => buildVendorTable([{ bits: 24, prefix: 1, organisation: "A|B" }], SOURCE));
  const json = buildVendorTable(ASSIGNMENTS, SOURCE);
  assertThrows(() => new VendorTable({ ...json, format: "something else" }));
  assertThrows(() =>
    new VendorTable({ ...json, prefixes: { ...json.prefixes, 24: json.prefixes[24] + "0" } })
  );
  assertThrows(() => new VendorTable({ ...json, indexWidth: 0 }));
});

Deno.test("vendor table: lengths without any block are searched without error", () => {
  const table = new VendorTable(buildVendorTable([{ bits: 24, prefix: 0, organisation: "Only" }], SOURCE));
  assertEquals(table.find(0x000000abcdef)?.organisation, "Only");
  assert(table.find(0x000001000000) === undefined);
});
