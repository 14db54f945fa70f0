import { assertEquals, assertMatch, assertThrows } from "../../../testing/assert.ts";
import { parseCsv } from "./csv.ts";
import { parseIeeeCsv } from "./ieee_csv.ts";

Deno.test("csv: quotes, doubled quotes, commas and line breaks inside quotes, CRLF, BOM", () => {
  const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nlast,,\n\n';
  assertEquals(parseCsv(text), [["a", "b", "c"], ["x, y", 'say "hi"', "two\nlines"], ["last", "", ""]]);
  assertEquals(parseCsv("no,final,newline"), [["no", "final", "newline"]]);
  assertThrows(() => parseCsv('a,"open\n'), SyntaxError);
});

const HEADER = "Registry,Assignment,Organization Name,Organization Address\n";

Deno.test("ieee csv: each registry's assignment length gives the block size", () => {
  const text = HEADER +
    'MA-L,00000C,"Cisco Systems, Inc",170 WEST TASMAN DRIVE SAN JOSE CA US 95134\n' +
    'MA-M,0055DA1,KoolPOS Inc.,"Room 806, Building 1\nShenzhen  CN 518000"\n' +
    'MA-S,70B3D51AB,Access Control Systems JSC ,"Moscow"\n' +
    "IAB,0050C2000,T.L.S. Corp.,\n" +
    "CID,0A2F45,Some   Company,\n" +
    "MA-L,ACDE48,Private,\n" +
    "MA-L,123456,,\n";
  const parsed = parseIeeeCsv(text, "fixture.csv");
  assertEquals(parsed.assignments, [
    { bits: 24, prefix: 0x00000c, organisation: "Cisco Systems, Inc" },
    { bits: 28, prefix: 0x0055da1, organisation: "KoolPOS Inc." },
    { bits: 36, prefix: 0x70b3d51ab, organisation: "Access Control Systems JSC" },
    { bits: 36, prefix: 0x0050c2000, organisation: "T.L.S. Corp." },
    { bits: 24, prefix: 0x0a2f45, organisation: "Some Company" },
    { bits: 24, prefix: 0xacde48, organisation: "Private" },
  ]);
  assertEquals(parsed.skipped, 1);
});

Deno.test("ieee csv: columns are found by name, a bad assignment names its record", () => {
  const reordered = "Organization Name,Registry,Assignment\nAcme,MA-L,001122\n";
  assertEquals(parseIeeeCsv(reordered, "r.csv").assignments, [{
    bits: 24,
    prefix: 0x001122,
    organisation: "Acme",
  }]);
  assertMatch(
    assertThrows(() => parseIeeeCsv("Registry,Name\n", "h.csv")).message,
    /h\.csv: no "Assignment"/,
  );
  assertMatch(
    assertThrows(() => parseIeeeCsv(HEADER + "MA-L,00112,Short,\n", "b.csv")).message,
    /b\.csv record 2: unreadable assignment "00112"/,
  );
});
