import assert from "node:assert/strict";
import { DETAIL_MAX_CHARS, printable, printableBytes } from "./text.ts";

Deno.test("text: printable ASCII passes, whitespace runs collapse, ends are trimmed", () => {
  assert.equal(printable("  Linux\r\n gw\t\t6.1  "), "Linux gw 6.1");
  assert.equal(printable(""), "");
  assert.equal(printable(" \r\n\t "), "");
});

Deno.test("text: control characters, escapes, DEL and non-ASCII become ?", () => {
  assert.equal(printable("a\x1b[2Jb\x7fc\u202ed\u00e9"), "a?[2Jb?c?d?");
  assert.equal(printableBytes(new TextEncoder().encode("caf\u00e9\0")), "caf???");
});

Deno.test("text: capped at 200 characters, ending in ...", () => {
  const long = printable("x".repeat(1000));
  assert.equal(long.length, DETAIL_MAX_CHARS);
  assert.ok(long.endsWith("..."));
  assert.equal(printable("y".repeat(200)), "y".repeat(200));
  assert.equal(printable("z".repeat(201)), "z".repeat(197) + "...");
  assert.equal(printable("abcdef", 5), "ab...");
});

Deno.test("text: printableBytes reads a bounded slice of a huge reply", () => {
  const bytes = new Uint8Array(70000).fill(0x41);
  assert.equal(printableBytes(bytes), "A".repeat(197) + "...");
});
