import { assertStrictEquals } from "../testing/assert.ts";
import { toHexString } from "./bytes.ts";

Deno.test("bytes: toHexString writes two lowercase digits per byte, joined by the separator", () => {
  assertStrictEquals(toHexString(new Uint8Array()), "");
  assertStrictEquals(toHexString(Uint8Array.of(0x01, 0xaa, 0xbb)), "01aabb");
  assertStrictEquals(toHexString(Uint8Array.of(0x00, 0x0f, 0xff), ":"), "00:0f:ff");
  assertStrictEquals(
    toHexString(Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01), "-"),
    "02-00-5e-10-00-01",
  );
  const buffer = Uint8Array.of(9, 0xde, 0xad, 9);
  assertStrictEquals(toHexString(buffer.subarray(1, 3)), "dead");
});
