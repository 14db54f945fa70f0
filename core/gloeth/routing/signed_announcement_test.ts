import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { hex } from "../../net/testdata/captures.ts";
import { unwrap } from "../../net/errors.ts";
import { MAX_ANNOUNCEMENT_LENGTH } from "./announcement.ts";
import { decodeSigned, encodeSigned } from "./signed_announcement.ts";

const SIGNATURE = Uint8Array.from({ length: 64 }, (_, i) => 0xc0 + (i & 0x0f));
const SIGNATURE_HEX = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf".repeat(4);

function failure(bytes: Uint8Array): string {
  const result = decodeSigned(bytes);
  assert(!result.ok, "expected a decode failure");
  return result.error.message;
}

Deno.test("signed announcement: length-prefixed body, then the 64-byte signature", () => {
  const bytes = encodeSigned({ body: hex("aabbcc"), signature: SIGNATURE });
  assertEquals(
    bytes,
    hex(
      "0003" + // body length
        "aabbcc" + // body (framing does not look inside)
        SIGNATURE_HEX, // signature
    ),
  );
  assertEquals(unwrap(decodeSigned(bytes)), { body: hex("aabbcc"), signature: SIGNATURE });
});

Deno.test("signed announcement: decoding copies, so the receive buffer can be reused", () => {
  const bytes = encodeSigned({ body: hex("aabbcc"), signature: SIGNATURE });
  const signed = unwrap(decodeSigned(bytes));
  bytes.fill(0);
  assertEquals(signed.body, hex("aabbcc"));
  assertEquals(signed.signature, SIGNATURE);
});

Deno.test("signed announcement: the length field is checked against the bytes and the limit", () => {
  assertEquals(failure(hex("00")), "gloeth signed announcement: 1 bytes, the length field is 2");
  assertEquals(failure(hex("0003aabbcc")), "gloeth signed announcement: 5 bytes, body length 3 makes 69");
  const trailing = new Uint8Array(70);
  trailing.set(encodeSigned({ body: hex("aabbcc"), signature: SIGNATURE }));
  assertEquals(failure(trailing), "gloeth signed announcement: 70 bytes, body length 3 makes 69");
  assertEquals(
    failure(hex("ffff")),
    `gloeth signed announcement: body length 65535 exceeds ${MAX_ANNOUNCEMENT_LENGTH}`,
  );
});

Deno.test("signed announcement: a wrong-size signature or an oversized body does not encode", () => {
  assertThrows(() => encodeSigned({ body: hex("aa"), signature: SIGNATURE.subarray(1) }), RangeError);
  assertThrows(
    () => encodeSigned({ body: new Uint8Array(MAX_ANNOUNCEMENT_LENGTH + 1), signature: SIGNATURE }),
    RangeError,
  );
});
