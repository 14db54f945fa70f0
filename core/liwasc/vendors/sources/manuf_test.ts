import { assertEquals, assertMatch, assertThrows } from "../../../testing/assert.ts";
import { parseManuf } from "./manuf.ts";

const SAMPLE = [
  "# https://standards-oui.ieee.org/oui/oui.csv:",
  "#   Content-Length: 3394465",
  "#   Last-Modified: Sun, 25 Aug 2024 08:01:19 GMT",
  "# https://standards-oui.ieee.org/iab/iab.csv:",
  "#   Last-Modified: Sat, 24 Aug 2024 08:00:58 GMT",
  "",
  "00:00:0C\tCisco\tCisco Systems, Inc",
  "00:00:13\tCamex",
  '00:00:D1\tAdaptec\t\tAdaptec, Inc.\t# "Nodem" product',
  "02:20:48\tMarconi\t\t# At least some 2810 send with locally assigned flag set",
  "00:00:18\tWebsterC\tWebster  Computer Corporation\t# Appletalk/Ethernet Gateway",
  "00:55:DA:10:00:00/28\tKoolPOS\tKoolPOS Inc.\r",
  "70-B3-D5-1A-B0-00/36\tAccessCo\tAccess Control Systems JSC",
  "01:80:C2:00:00:30/45\tOAM-Multicast-DA-Class-1",
  "01:00:0C:CC:CC:CC\tCDP/VTP/DTP/PAgP/UDLD",
  "",
].join("\n");

Deno.test("manuf: long names preferred, comments and empty fields ignored, other lengths skipped", () => {
  const parsed = parseManuf(SAMPLE);
  assertEquals(parsed.assignments, [
    { bits: 24, prefix: 0x00000c, organisation: "Cisco Systems, Inc" },
    { bits: 24, prefix: 0x000013, organisation: "Camex" },
    { bits: 24, prefix: 0x0000d1, organisation: "Adaptec, Inc." },
    { bits: 24, prefix: 0x022048, organisation: "Marconi" },
    { bits: 24, prefix: 0x000018, organisation: "Webster Computer Corporation" },
    { bits: 28, prefix: 0x0055da1, organisation: "KoolPOS Inc." },
    { bits: 36, prefix: 0x70b3d51ab, organisation: "Access Control Systems JSC" },
  ]);
  assertEquals(parsed.skipped, 2);
  assertEquals(parsed.ieeeLastModified, "2024-08-25T08:01:19.000Z");
});

Deno.test("manuf: a line that is not a block fails loudly with its number", () => {
  assertMatch(assertThrows(() => parseManuf("# x\nnonsense\tName\n")).message, /line 2: unreadable address/);
  assertMatch(assertThrows(() => parseManuf("00:00:0C\n")).message, /line 1: no organisation name/);
  assertMatch(assertThrows(() => parseManuf("00:55:DA:18:00:00/28\tX\n")).message, /bits set beyond \/28/);
  assertMatch(assertThrows(() => parseManuf("00:55:DA/28\tX\n")).message, /longer than the address/);
});
