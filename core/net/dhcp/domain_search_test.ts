import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeDomainSearch, encodeDomainSearch } from "./domain_search.ts";
import { hex } from "./testdata/captures.ts";

function failure(bytes: string): string {
  const result = decodeDomainSearch(hex(bytes));
  return result.ok ? "ok" : result.error.message;
}

// RFC 3397 §2's example, joined: eng.apple.com, then marketing + pointer to offset 4 ("apple.com").
const RFC_3397 = "03656e67056170706c6503636f6d00" + "096d61726b6574696e67c004";

Deno.test("domain search: RFC 3397's example decodes, and encodes to the same bytes", () => {
  assertEquals(unwrap(decodeDomainSearch(hex(RFC_3397))), ["eng.apple.com", "marketing.apple.com"]);
  assertEquals(encodeDomainSearch(["eng.apple.com", "marketing.apple.com"]), hex(RFC_3397));
  assertEquals(encodeDomainSearch(["eng.apple.com.", "marketing.apple.com."]), hex(RFC_3397));
});

Deno.test("domain search: dnsmasq compresses, busybox udhcpd does not; the encoder matches dnsmasq", () => {
  const dnsmasq = "0463747066047465737400036c6162c000076578616d706c65036f726700";
  const udhcpd = "0463747066047465737400036c61620463747066047465737400";
  assertEquals(unwrap(decodeDomainSearch(hex(dnsmasq))), ["ctpf.test", "lab.ctpf.test", "example.org"]);
  assertEquals(unwrap(decodeDomainSearch(hex(udhcpd))), ["ctpf.test", "lab.ctpf.test"]);
  assertEquals(encodeDomainSearch(["ctpf.test", "lab.ctpf.test", "example.org"]), hex(dnsmasq));
});

Deno.test("domain search: a whole repeated name becomes one pointer; case is kept, not folded", () => {
  assertEquals(encodeDomainSearch(["a.test", "a.test"]), hex("0161047465737400c000"));
  assertEquals(unwrap(decodeDomainSearch(encodeDomainSearch(["A.test", "a.test"]))), [
    "A.test",
    "a.test",
  ]);
  assertEquals(encodeDomainSearch(["A.test", "a.test"]), hex("0141047465737400" + "0161c002"));
});

Deno.test("domain search: pointer loops, forward pointers and damage are DecodeErrors", () => {
  const layer = "dhcp domain search: ";
  assertStrictEquals(
    failure("c000"),
    layer + "compression pointer at offset 0 to 0 does not point backwards (loop)",
  );
  // A name whose pointer leads back into itself: "abc" then a pointer to its own first label.
  assertStrictEquals(
    failure("03616263c000"),
    layer + "compression pointer at offset 4 to 0 does not point backwards (loop)",
  );
  // Two names pointing at each other: the second's target is before it, but the first then points forward.
  assertStrictEquals(
    failure("0161c004" + "0162c000"),
    layer + "compression pointer at offset 2 to 4 does not point backwards (loop)",
  );
  assertStrictEquals(failure("0161c0"), layer + "compression pointer at offset 2 is cut off");
  assertStrictEquals(failure("056162"), layer + "label at offset 0 has length 5, only 2 bytes follow");
  assertStrictEquals(failure("016100" + "0162"), layer + "name at offset 3 runs past the end of the list");
  assertStrictEquals(failure("4161"), layer + "label length byte 0x41 at offset 0 uses reserved bits");
  // 5 labels of 63 bytes: 321 bytes on the wire, more than RFC 1035's 255.
  const long = ("3f" + "61".repeat(63)).repeat(5) + "00";
  assertStrictEquals(failure(long), layer + "name at offset 0 is longer than 255 bytes");
  assertEquals(unwrap(decodeDomainSearch(hex("00"))), [""], "the root name");
  assertEquals(unwrap(decodeDomainSearch(new Uint8Array(0))), []);
});

Deno.test("domain search: encoder enforces RFC 1035 limits and may exceed 255 bytes in total", () => {
  assertThrows(() => encodeDomainSearch(["a..b"]), /empty label/);
  assertThrows(() => encodeDomainSearch(["x".repeat(64) + ".test"]), /longer than 63/);
  assertThrows(() => encodeDomainSearch([Array(5).fill("y".repeat(60)).join(".")]), /at most 255/);
  const many = Array.from({ length: 40 }, (_, index) => `host${index}.example${index}.test`);
  const encoded = encodeDomainSearch(many);
  assert(encoded.length > 255);
  assertEquals(unwrap(decodeDomainSearch(encoded)), many);
});
