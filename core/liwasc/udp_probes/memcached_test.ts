import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { memcachedProbe } from "./memcached.ts";
import { ascii, concat, hex } from "./testdata/bytes.ts";
import { MEMCACHED_STATS_FIRST, MEMCACHED_STATS_LAST } from "./testdata/replies.ts";
import { assertEditsRefused } from "./testdata/checks.ts";

const probe = memcachedProbe({ requestId: 0x0102 });

Deno.test("memcached: frame header (request ID, sequence 0, 1 datagram, reserved 0) and stats", () => {
  assertEquals(probe.payload(), concat(hex("0102 0000 0001 0000"), ascii("stats\r\n")));
});

Deno.test("memcached: the first stats datagram gives the version, later ones count", () => {
  assertEquals(probe.recognise(MEMCACHED_STATS_FIRST), {
    service: "memcached",
    detail: "version 1.6.21",
  });
  assertEquals(probe.recognise(MEMCACHED_STATS_LAST), {
    service: "memcached",
    detail: "stats datagram 2 of 2",
  });
  const error = concat(hex("0102 0000 0001 0000"), ascii("SERVER_ERROR out of memory\r\n"));
  assertEquals(probe.recognise(error), { service: "memcached", detail: "stats datagram 1 of 1" });
});

Deno.test("memcached: a datagram cut short is still text from memcached", () => {
  assertStrictEquals(probe.recognise(MEMCACHED_STATS_FIRST.subarray(0, 20))?.detail, "stats datagram 1 of 2");
  assertStrictEquals(probe.recognise(MEMCACHED_STATS_FIRST.subarray(0, 8)), undefined, "header only");
});

Deno.test("memcached: other request IDs, bad frames, binary and reflected requests are refused", () => {
  assertEditsRefused(probe, MEMCACHED_STATS_FIRST, [
    ["another request ID", 1, 0x02, 0x03],
    ["sequence number beyond the count", 3, 0, 2],
    ["reserved bytes set", 7, 0, 1],
    ["no datagrams counted", 5, 2, 0],
    ["binary in the text", 20, 0x32, 0x00],
    ["first datagram not a reply line", 8, 0x53, 0x73],
  ]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the request reflected");
});
