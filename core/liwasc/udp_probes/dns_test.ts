import { assert, assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { dnsProbe } from "./dns.ts";
import { concat, hex } from "./testdata/bytes.ts";
import { DNSMASQ_VERSION_BIND } from "./testdata/captures.ts";
import { DNS_REFUSED_NO_QUESTION } from "./testdata/replies.ts";
import { assertEditsRefused, assertPrefixesRefused, mutated } from "./testdata/checks.ts";

const probe = dnsProbe({ id: 0x1234 });

Deno.test("dns: the query is version.bind CH TXT, recursion not desired (RFC 1035 §4.1)", () => {
  assertEquals(
    probe.payload(),
    hex(`
      1234 0000 0001 0000 0000 0000
      07 76657273696f6e 04 62696e64 00
      0010 0003`),
  );
  assertStrictEquals(probe.name, "dns-version-bind");
});

Deno.test("dns: payload() gives a fresh copy of the same bytes each time", () => {
  const first = probe.payload();
  first[0] = 0xff;
  assertStrictEquals(probe.payload()[0], 0x12);
});

Deno.test("dns: random IDs differ between probes", () => {
  const ids = new Set(
    Array.from({ length: 20 }, () => dnsProbe().payload()[0] << 8 | dnsProbe().payload()[1]),
  );
  assert(ids.size > 1);
});

Deno.test("dns: dnsmasq's answer gives its version", () => {
  assertEquals(probe.recognise(DNSMASQ_VERSION_BIND), {
    service: "dns",
    detail: "version.bind: dnsmasq-2.90",
  });
});

Deno.test("dns: error answers are DNS too, question or not", () => {
  assertEquals(probe.recognise(DNS_REFUSED_NO_QUESTION), { service: "dns", detail: "answered REFUSED" });
  const notimp = mutated(
    DNSMASQ_VERSION_BIND.subarray(0, 30),
    (bytes) => bytes.set([0x80, 0x04, 0, 1, 0, 0], 2),
  );
  assertEquals(probe.recognise(notimp), { service: "dns", detail: "answered NOTIMP" });
  const rcode9 = mutated(DNS_REFUSED_NO_QUESTION, (bytes) => (bytes[3] = 0x09));
  assertEquals(probe.recognise(rcode9), { service: "dns", detail: "answered rcode 9" });
  const empty = mutated(DNSMASQ_VERSION_BIND.subarray(0, 30), (bytes) => (bytes[7] = 0));
  assertEquals(probe.recognise(empty), { service: "dns", detail: "answered NOERROR without a version" });
});

Deno.test("dns: a version in several strings, with control characters, is joined and cleaned", () => {
  const reply = concat(
    hex("1234 8400 0001 0001 0000 0000 07 76657273696f6e 04 62696e64 00 0010 0003"),
    hex("07 56455253494f4e 04 42494e44 00 0010 0003 00000000 000d 05 39 2e 31 38 1b 06 2d 6c 69 6e 75 78"),
  );
  assertEquals(probe.recognise(reply), { service: "dns", detail: "version.bind: 9.18? -linux" });
  // A character-string running past its record: still a DNS answer, just no version to show.
  const overrun = mutated(reply, (bytes) => (bytes[bytes.length - 13] = 0x0d));
  assertEquals(probe.recognise(overrun), {
    service: "dns",
    detail: "answered NOERROR without a version",
  });
});

Deno.test("dns: replies not to this query are refused", () => {
  assertEditsRefused(probe, DNSMASQ_VERSION_BIND, [
    ["another ID", 1, 0x34, 0x35],
    ["a query, not a response", 2, 0x84, 0x04],
    ["opcode STATUS", 2, 0x84, 0x94],
    ["another question name", 13, 0x76, 0x77],
    ["another question type", 27, 0x10, 0x01],
    ["another question class", 29, 0x03, 0x01],
    ["two questions", 5, 1, 2],
    ["an answer count beyond the data", 7, 1, 2],
    ["an RDLENGTH beyond the data", 41, 0x0d, 0x0e],
  ]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the query reflected");
});

Deno.test("dns: any truncation of an answer is refused", () => {
  assertPrefixesRefused(probe, DNSMASQ_VERSION_BIND);
});
