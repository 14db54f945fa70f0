import { assertEquals, assertNotStrictEquals, assertStrictEquals } from "../../testing/assert.ts";
import { mdnsProbe } from "./mdns.ts";
import { concat, hex } from "./testdata/bytes.ts";
import { MDNS_SERVICES } from "./testdata/replies.ts";
import { assertEditsRefused, assertPrefixesRefused, mutated } from "./testdata/checks.ts";

const probe = mdnsProbe({ id: 0x2222 });

Deno.test("mdns: PTR query for _services._dns-sd._udp.local, class IN with the QU bit (RFC 6762 §5.4, RFC 6763 §9)", () => {
  assertEquals(
    probe.payload(),
    hex(`
      2222 0000 0001 0000 0000 0000
      09 5f7365727669636573 07 5f646e732d7364 04 5f756470 05 6c6f63616c 00
      000c 8001`),
  );
  assertNotStrictEquals(mdnsProbe().payload().subarray(0, 2).join(), "0,0");
});

Deno.test("mdns: a legacy unicast response gives host names and service types", () => {
  assertEquals(probe.recognise(MDNS_SERVICES), {
    service: "mdns",
    detail: "hosts printer.local; services _http._tcp.local _ssh._tcp.local",
  });
});

Deno.test("mdns: a zero ID (as in multicast responses) and cache-flush classes are accepted", () => {
  const zeroId = mutated(MDNS_SERVICES, (bytes) => bytes.set([0, 0], 0));
  assertStrictEquals(probe.recognise(zeroId)?.service, "mdns");
  const cacheFlush = mutated(MDNS_SERVICES, (bytes) => (bytes[102] = 0x80));
  assertStrictEquals(
    probe.recognise(cacheFlush)?.detail,
    "hosts printer.local; services _http._tcp.local _ssh._tcp.local",
  );
});

Deno.test("mdns: an SRV target counts as a host; a response without names says how many records", () => {
  const srv = hex(`
    2222 8400 0000 0001 0000 0000
    05 6c6f63616c 00 0021 8001 00000078 000c 0000 0000 0050 03 6e6173 c00c`);
  assertStrictEquals(probe.recognise(srv)?.detail, "hosts nas.local");
  const bare = hex("2222 8400 0000 0000 0000 0000");
  assertStrictEquals(probe.recognise(bare)?.detail, "answered with 0 records");
});

Deno.test("mdns: a PTR or SRV name running past its record is malformed", () => {
  const shortData = hex(`
    2222 8400 0000 0001 0000 0000
    09 5f7365727669636573 07 5f646e732d7364 04 5f756470 05 6c6f63616c 00 000c 0001 0000000a 0001 c00c`);
  assertStrictEquals(probe.recognise(shortData), undefined);
  const longData = mutated(shortData, (bytes) => bytes.set([0x00, 0x02], bytes.length - 4));
  assertStrictEquals(
    probe.recognise(longData.subarray(0, longData.length - 1)),
    undefined,
    "RDLENGTH 2 past the end",
  );
  assertStrictEquals(
    probe.recognise(concat(longData, hex("00")))?.detail,
    "services _services._dns-sd._udp.local",
  );
  const shortSrv = hex(
    "2222 8400 0000 0001 0000 0000 05 6c6f63616c 00 0021 0001 00000078 0006 0000 0000 0050",
  );
  assertStrictEquals(probe.recognise(shortSrv), undefined, "SRV without a target");
});

Deno.test("mdns: replies that are not a response to this query are refused", () => {
  // Offsets: question name 12-41, type 42-43, answers from 46, the first answer's RDLENGTH at 56-57.
  assertEditsRefused(probe, MDNS_SERVICES, [
    ["another ID", 1, 0x22, 0x23],
    ["a query, not a response", 2, 0x84, 0x04],
    ["opcode 1", 2, 0x84, 0x8c],
    ["rcode 3 (§18.11 says ignore)", 3, 0x00, 0x03],
    ["another question", 13, 0x5f, 0x60],
    ["another question type", 43, 0x0c, 0x10],
    ["an RDLENGTH past the end", 57, 0x0d, 0x70],
    ["a forward pointer", 70, 0x23, 0x70],
  ]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the query reflected");
  assertPrefixesRefused(probe, MDNS_SERVICES);
});
