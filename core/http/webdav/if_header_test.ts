import { assertEquals, assertThrows } from "../../testing/assert.ts";
import {
  ifHeaderHolds,
  IfHeaderSyntaxError,
  parseIfHeader,
  type ResourceState,
  submittedTokens,
} from "./if_header.ts";

const token = "opaquelocktoken:e71d4fae-5dec-22d6-fea5-00a0c91e6be4";

Deno.test("If header: untagged and tagged lists, Not, entity tags with brackets inside quotes", () => {
  assertEquals(
    parseIfHeader(`(<${token}> ["a-1"]) (Not <DAV:no-lock> [W/"x]y"])`),
    [
      { resource: undefined, conditions: [{ not: false, token }, { not: false, etag: '"a-1"' }] },
      {
        resource: undefined,
        conditions: [{ not: true, token: "DAV:no-lock" }, { not: false, etag: 'W/"x]y"' }],
      },
    ],
  );
  assertEquals(parseIfHeader(`<http://h/a> (<${token}>) <http://h/b> (["e"]) (NOT<DAV:no-lock>)`), [
    { resource: "http://h/a", conditions: [{ not: false, token }] },
    { resource: "http://h/b", conditions: [{ not: false, etag: '"e"' }] },
    { resource: "http://h/b", conditions: [{ not: true, token: "DAV:no-lock" }] },
  ]);
});

Deno.test("If header: syntax errors are refused", () => {
  for (
    const header of [
      "",
      "(",
      "()",
      "(<a>",
      "(<>)",
      "([unquoted])",
      "(<a>) <http://h/> (<b>)",
      "<http://h/>",
      "<http://h/> (<a>) (<b>) junk",
      "(Nope <a>)",
      `(${"<a> ".repeat(300)})`,
    ]
  ) {
    assertThrows(() => parseIfHeader(header), IfHeaderSyntaxError);
  }
});

Deno.test("If header: holds when any list holds, each condition against its resource", async () => {
  const locked: ResourceState = { etag: '"1-a"', locked: (t) => t === token };
  const other: ResourceState = { etag: '"2-b"', locked: () => false };
  const stateOf = (resource: string | undefined) =>
    Promise.resolve(resource === undefined ? locked : resource === "/other" ? other : undefined);
  const holds = (header: string) => ifHeaderHolds(parseIfHeader(header), stateOf);
  assertEquals(await holds(`(<${token}> ["1-a"])`), true);
  assertEquals(await holds(`(<DAV:no-lock> ["1-a"])`), false);
  assertEquals(await holds(`(<${token}x>) (Not <DAV:no-lock>)`), true);
  assertEquals(await holds(`(<${token}> ["1-b"]) (Not <DAV:no-lock> ["1-b"])`), false);
  assertEquals(await holds(`(<${token}> [W/"1-a"])`), true);
  assertEquals(await holds(`(Not ["1-a"])`), false);
  assertEquals(await holds(`</other> (["2-b"])`), true);
  assertEquals(await holds(`</missing> (Not ["2-b"])`), true);
  assertEquals(await holds(`</missing> (["2-b"])`), false);
});

Deno.test("If header: the submitted tokens are those outside Not", () => {
  assertEquals(
    [...submittedTokens(parseIfHeader(`</y> (<a> ["e"]) (Not <b>) </x> (<c>)`))],
    ["a", "c"],
  );
});
