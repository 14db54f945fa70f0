import { assertEquals, assertThrows } from "../testing/assert.ts";
import { rawRequestPath } from "./raw_path.ts";

Deno.test("raw path: dot segments and encodings are kept for the jail to judge", () => {
  assertEquals(rawRequestPath("http://h:1/boot/../private/x"), "/boot/../private/x");
  assertEquals(rawRequestPath("http://h:1/boot/%2e%2e/x?y=1#z"), "/boot/../x");
  assertEquals(rawRequestPath("http://h:1/a%20b"), "/a b");
  assertEquals(rawRequestPath("http://h:1"), "/");
  assertThrows(() => rawRequestPath("http://h/%E0%A4%A"), URIError);
});
