import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeUserClass, encodeUserClass } from "./user_class.ts";
import { hex } from "./testdata/captures.ts";

Deno.test("user class: RFC 3004 length-prefixed instances", () => {
  // Two classes, "ctpf" and "lab" (RFC 3004 §2 format: len, data, len, data).
  const bytes = hex("046374706603" + "6c6162");
  assertEquals(unwrap(decodeUserClass(bytes)), { classes: ["ctpf", "lab"], format: "rfc3004" });
  assertEquals(encodeUserClass({ classes: ["ctpf", "lab"], format: "rfc3004" }), bytes);
});

Deno.test('user class: iPXE\'s plain "iPXE" (0x69 would be a length past the end) reads as one class', () => {
  const ipxe = hex("69505845");
  assertEquals(unwrap(decodeUserClass(ipxe)), { classes: ["iPXE"], format: "plain" });
  assertEquals(encodeUserClass({ classes: ["iPXE"], format: "plain" }), ipxe);
  // A zero length is not RFC 3004 either; trailing NULs of a plain string are dropped.
  assertEquals(unwrap(decodeUserClass(hex("00616200"))), { classes: ["\0ab"], format: "plain" });
});

Deno.test("user class: limits", () => {
  const empty = decodeUserClass(new Uint8Array(0));
  assertStrictEquals(
    empty.ok ? "" : empty.error.message,
    "dhcp user class: length 0, at least one class expected",
  );
  assertThrows(() => encodeUserClass({ classes: [], format: "rfc3004" }), RangeError);
  assertThrows(() => encodeUserClass({ classes: [""], format: "rfc3004" }), RangeError);
  assertThrows(() => encodeUserClass({ classes: ["x".repeat(256)], format: "rfc3004" }), RangeError);
  assertThrows(() => encodeUserClass({ classes: ["a", "b"], format: "plain" }), RangeError);
});
