import { assertEquals } from "../testing/assert.ts";
import { ifNoneMatchHits } from "./files.ts";

Deno.test("If-None-Match: *, lists and weak tags match as RFC 9110 §13.1.2 says; others do not", () => {
  const etag = '"10-abc"';
  const cases: [string | null, boolean][] = [
    [null, false],
    ["", false],
    ['"10-abc"', true],
    ["*", true],
    [' "x", W/"10-abc" ', true],
    ['"x","10-abc"', true],
    ['"10-abcd"', false],
    ["10-abc", false],
  ];
  for (const [header, expected] of cases) {
    assertEquals(ifNoneMatchHits(header, etag), expected, String(header));
  }
});
