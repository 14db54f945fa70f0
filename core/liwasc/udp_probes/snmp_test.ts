import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { snmpProbe } from "./snmp.ts";
import { berInteger, berOid, berTlv } from "./ber.ts";
import { ascii, hex } from "./testdata/bytes.ts";
import { SNMP_NO_SUCH_OBJECT, SNMP_SYSDESCR } from "./testdata/replies.ts";
import { assertEditsRefused, assertPrefixesRefused } from "./testdata/checks.ts";

const probe = snmpProbe({ requestId: 0x12345678 });

/** A GetResponse with request-id 0x12345678 around the given error-status and varbind list content. */
function response(errorStatus: number, varbinds: Uint8Array, version = 1): Uint8Array {
  return berTlv(
    0x30,
    berInteger(version),
    berTlv(0x04, ascii("public")),
    berTlv(
      0xa2,
      berInteger(0x12345678),
      berInteger(errorStatus),
      berInteger(errorStatus ? 1 : 0),
      berTlv(0x30, varbinds),
    ),
  );
}
const sysDescrVarbind = (value: Uint8Array) => berTlv(0x30, berOid([1, 3, 6, 1, 2, 1, 1, 1, 0]), value);

Deno.test("snmp: v2c GetRequest for sysDescr.0, community public, BER by hand (RFC 3416, X.690)", () => {
  assertEquals(
    probe.payload(),
    hex(`
      30 29
        02 01 01
        04 06 7075626c6963
        a0 1c
          02 04 12345678
          02 01 00
          02 01 00
          30 0e
            30 0c
              06 08 2b06010201010100
              05 00`),
  );
  // Small IDs take fewer bytes (X.690 §8.3.2), and the lengths around them follow.
  assertEquals(
    snmpProbe({ requestId: 0x80, community: "private" }).payload().subarray(0, 20),
    hex("30 28 020101 0407 70726976617465 a0 1a 0202 0080"),
  );
});

Deno.test("snmp: a GetResponse with sysDescr gives the text", () => {
  assertEquals(probe.recognise(SNMP_SYSDESCR), {
    service: "snmp",
    detail: "sysDescr: Linux gw 6.1.0-18-amd64 #1 SMP x86_64",
  });
});

Deno.test("snmp: exceptions, errors and other values are described", () => {
  const detail = (reply: Uint8Array) => probe.recognise(reply)?.detail;
  assertStrictEquals(detail(SNMP_NO_SUCH_OBJECT), "sysDescr: noSuchObject");
  assertStrictEquals(detail(response(2, new Uint8Array())), "error-status noSuchName(2)");
  assertStrictEquals(detail(response(99, new Uint8Array())), "error-status unknown(99)");
  assertStrictEquals(detail(response(0, new Uint8Array())), "answered without varbinds");
  assertStrictEquals(detail(response(0, sysDescrVarbind(berInteger(5)))), "sysDescr of type 0x2");
  assertStrictEquals(
    detail(response(0, berTlv(0x30, berOid([1, 3, 6, 1, 2, 1, 1, 5, 0]), berTlv(0x04, ascii("gw"))))),
    "answered for another object",
  );
  assertStrictEquals(
    detail(response(0, sysDescrVarbind(berTlv(0x04, ascii("v1 agent"))), 0)),
    "sysDescr: v1 agent",
  );
});

Deno.test("snmp: a long sysDescr (long-form lengths) is cleaned and capped at 200 characters", () => {
  const text = "Cisco IOS\r\n" + "x".repeat(400) + "\x1b[0m";
  const detail = probe.recognise(response(0, sysDescrVarbind(berTlv(0x04, ascii(text)))))?.detail;
  assertStrictEquals(detail, `sysDescr: Cisco IOS ${"x".repeat(177)}...`);
  assertStrictEquals(detail?.length, 200);
});

Deno.test("snmp: replies that are not the GetResponse to this request are refused", () => {
  assertEditsRefused(probe, SNMP_SYSDESCR, [
    ["another request-id", 20, 0x78, 0x79],
    ["a GetRequest (our own reflected)", 13, 0xa2, 0xa0],
    ["a Report PDU", 13, 0xa2, 0xa8],
    ["version 3", 4, 1, 3],
    ["not a SEQUENCE", 0, 0x30, 0x31],
    ["community not an OCTET STRING", 5, 0x04, 0x02],
    ["message length past the end", 1, 0x4e, 0x4f],
    ["PDU length past the message", 14, 0x41, 0x42],
    ["request-id not an INTEGER", 15, 0x02, 0x04],
    ["varbind list not a SEQUENCE", 27, 0x30, 0x31],
    ["varbind name not an OID", 31, 0x06, 0x04],
    ["value length past the varbind", 42, 0x25, 0x26],
    ["indefinite message length", 1, 0x4e, 0x80],
  ]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the request reflected");
  assertPrefixesRefused(probe, SNMP_SYSDESCR);
});
