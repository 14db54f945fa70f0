import { assertEquals } from "../testing/assert.ts";
import { parseRange } from "./range.ts";

Deno.test("range: the RFC 9110 byte-range forms", () => {
  assertEquals(parseRange(null, 100), { kind: "whole" });
  assertEquals(parseRange("bytes=0-9", 100), { kind: "partial", start: 0, end: 9 });
  assertEquals(parseRange("bytes=90-", 100), { kind: "partial", start: 90, end: 99 });
  assertEquals(parseRange("bytes=-10", 100), { kind: "partial", start: 90, end: 99 });
  assertEquals(parseRange("bytes=-1000", 100), { kind: "partial", start: 0, end: 99 });
  assertEquals(parseRange("bytes=50-1000", 100), { kind: "partial", start: 50, end: 99 });
  assertEquals(parseRange("BYTES = 1 - 2", 100), { kind: "partial", start: 1, end: 2 });
});

Deno.test("range: unsatisfiable, malformed and multi-range requests", () => {
  assertEquals(parseRange("bytes=100-", 100), { kind: "unsatisfiable" });
  assertEquals(parseRange("bytes=-0", 100), { kind: "unsatisfiable" });
  assertEquals(parseRange("bytes=0-", 0), { kind: "unsatisfiable" });
  assertEquals(parseRange("bytes=5-1", 100), { kind: "whole" });
  assertEquals(parseRange("bytes=0-1,5-6", 100), { kind: "whole" });
  assertEquals(parseRange("items=0-1", 100), { kind: "whole" });
  assertEquals(parseRange("bytes=-", 100), { kind: "whole" });
  assertEquals(parseRange("bytes=99999999999999999999-", 100), { kind: "unsatisfiable" });
});
