import { assert, assertStrictEquals } from "../../testing/assert.ts";
import { DETAIL_MAX_CHARS, printable, printableBytes } from "./text.ts";

Deno.test("text: printable ASCII passes, whitespace runs collapse, ends are trimmed", () => {
  assertStrictEquals(printable("  Linux\r\n gw\t\t6.1  "), "Linux gw 6.1");
  assertStrictEquals(printable(""), "");
  assertStrictEquals(printable(" \r\n\t "), "");
});

Deno.test("text: control characters, escapes, DEL and non-ASCII become ?", () => {
  assertStrictEquals(printable("a\x1b[2Jb\x7fc\u202ed\u00e9"), "a?[2Jb?c?d?");
  assertStrictEquals(printableBytes(new TextEncoder().encode("caf\u00e9\0")), "caf???");
});

Deno.test("text: capped at 200 characters, ending in ...", () => {
  const long = printable("x".repeat(1000));
  assertStrictEquals(long.length, DETAIL_MAX_CHARS);
  assert(long.endsWith("..."));
  assertStrictEquals(printable("y".repeat(200)), "y".repeat(200));
  assertStrictEquals(printable("z".repeat(201)), "z".repeat(197) + "...");
  assertStrictEquals(printable("abcdef", 5), "ab...");
});

Deno.test("text: printableBytes reads a bounded slice of a huge reply", () => {
  const bytes = new Uint8Array(70000).fill(0x41);
  assertStrictEquals(printableBytes(bytes), "A".repeat(197) + "...");
});
