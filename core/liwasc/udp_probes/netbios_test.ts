import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { netbiosProbe, WILDCARD_NAME } from "./netbios.ts";
import { ascii, concat, hex } from "./testdata/bytes.ts";
import { NETBIOS_NODE_STATUS } from "./testdata/replies.ts";
import { assertEditsRefused, assertPrefixesRefused, mutated } from "./testdata/checks.ts";

const probe = netbiosProbe({ id: 0x4242 });

Deno.test("netbios: '*' first-level encoded is CK then 15 times AA (RFC 1001 §14.1)", () => {
  // '*' is 0x2a: 'A' + 2, 'A' + 10. NUL is 'A' + 0, twice.
  assertStrictEquals(WILDCARD_NAME, "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
});

Deno.test("netbios: NODE STATUS REQUEST as in RFC 1002 §4.2.17", () => {
  assertEquals(
    probe.payload(),
    concat(hex("4242 0000 0001 0000 0000 0000 20"), ascii(WILDCARD_NAME), hex("00 0021 0001")),
  );
  assertStrictEquals(probe.payload().length, 50);
});

Deno.test("netbios: the node status response gives computer name, workgroup and MAC", () => {
  assertEquals(probe.recognise(NETBIOS_NODE_STATUS), {
    service: "netbios-ns",
    detail: "name FILESRV, group WORKGROUP, MAC 00:1a:2b:3c:4d:5e",
  });
});

Deno.test("netbios: Samba's zero unit ID is left out; a table without <00> names is counted", () => {
  const zeroMac = mutated(NETBIOS_NODE_STATUS, (bytes) => bytes.fill(0, 111, 117));
  assertStrictEquals(probe.recognise(zeroMac)?.detail, "name FILESRV, group WORKGROUP");
  const noWorkstation = mutated(zeroMac, (bytes) => {
    bytes[72] = 0x20;
    bytes[108] = 0x1d;
  });
  assertStrictEquals(probe.recognise(noWorkstation)?.detail, "3 names");
  // A name with control characters and NUL padding.
  const odd = mutated(NETBIOS_NODE_STATUS, (bytes) => bytes.set([0x1b, 0x5b, 0, 0, 0, 0, 0], 57));
  assertStrictEquals(probe.recognise(odd)?.detail, "name ?[, group WORKGROUP, MAC 00:1a:2b:3c:4d:5e");
});

Deno.test("netbios: a negative response still shows the name service", () => {
  const negative = hex("4242 8403 0000 0000 0000 0000");
  assertEquals(probe.recognise(negative), { service: "netbios-ns", detail: "answered with rcode 3" });
});

Deno.test("netbios: replies that are not this node status response are refused", () => {
  // Offsets: header 0-11, RR_NAME 12-45, type 46-47, class 48-49, TTL 50-53, RDLENGTH 54-55, NUM_NAMES 56.
  assertEditsRefused(probe, NETBIOS_NODE_STATUS, [
    ["another NAME_TRN_ID", 1, 0x42, 0x43],
    ["a request, not a response", 2, 0x84, 0x04],
    ["opcode registration", 2, 0x84, 0xac],
    ["an NB record, not NBSTAT", 47, 0x21, 0x20],
    ["class other than IN", 49, 0x01, 0x03],
    ["RDLENGTH past the end", 55, 0x65, 0x66],
    ["more names than RDATA holds", 56, 3, 6],
    ["no answer counted", 7, 1, 0],
  ]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the request reflected");
  assertPrefixesRefused(probe, NETBIOS_NODE_STATUS);
});
