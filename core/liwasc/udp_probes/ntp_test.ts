import { assertEquals, assertNotEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { ntpProbe } from "./ntp.ts";
import { hex } from "./testdata/bytes.ts";
import { NTPSEC_UNSYNCHRONISED } from "./testdata/captures.ts";
import { assertEditsRefused, assertPrefixesRefused } from "./testdata/checks.ts";

const nonce = hex("0102030405060708");
const probe = ntpProbe({ nonce });

/** A server reply (RFC 5905 §7.3) to the probe, from a stratum `stratum` server with reference ID `refid`. */
function serverReply(stratum: number, refid: string, first = 0x24): Uint8Array {
  return hex(`
    ${first.toString(16).padStart(2, "0")} ${stratum.toString(16).padStart(2, "0")} 03 e9
    00000010 00000020 ${refid}
    eeb1600000000000 0102030405060708 eeb1674f00000000 eeb1674f00010000`);
}

Deno.test("ntp: the request is 48 bytes, 0x23 (LI 0, VN 4, mode 3), the nonce as transmit timestamp", () => {
  const expected = new Uint8Array(48);
  expected[0] = 0x23;
  expected.set(nonce, 40);
  assertEquals(probe.payload(), expected);
  assertThrows(() => ntpProbe({ nonce: new Uint8Array(7) }), RangeError);
  assertNotEquals(ntpProbe().payload(), ntpProbe().payload(), "random nonces");
});

Deno.test("ntp: NTPsec without time sources answers with kiss code INIT", () => {
  assertEquals(probe.recognise(NTPSEC_UNSYNCHRONISED), {
    service: "ntp",
    detail: "NTPv4 stratum 0, kiss code INIT",
  });
});

Deno.test("ntp: stratum and reference ID as RFC 5905 §7.3 reads them", () => {
  const detail = (reply: Uint8Array) => probe.recognise(reply)?.detail;
  assertStrictEquals(detail(serverReply(1, "47505300")), "NTPv4 stratum 1, refid GPS");
  assertStrictEquals(detail(serverReply(2, "c0000201")), "NTPv4 stratum 2, refid 192.0.2.1");
  assertStrictEquals(
    detail(serverReply(3, "c0000201", 0xe4)),
    "NTPv4 stratum 3, refid 192.0.2.1 (unsynchronised)",
  );
  assertStrictEquals(detail(serverReply(16, "00000000")), "NTPv4 stratum 16 (unsynchronised)");
  assertStrictEquals(detail(serverReply(0, "52415445")), "NTPv4 stratum 0, kiss code RATE");
  assertStrictEquals(detail(serverReply(0, "1b5b324a")), "NTPv4 stratum 0");
  assertStrictEquals(detail(serverReply(1, "1b5b324a")), "NTPv4 stratum 1, refid ?");
  assertStrictEquals(detail(serverReply(2, "c0000201", 0x1c)), "NTPv3 stratum 2, refid 192.0.2.1");
});

Deno.test("ntp: extension fields after the header are ignored", () => {
  const reply = new Uint8Array(48 + 16);
  reply.set(serverReply(2, "c0000201"));
  assertStrictEquals(probe.recognise(reply)?.service, "ntp");
});

Deno.test("ntp: replies not from a server to this request are refused", () => {
  assertEditsRefused(probe, NTPSEC_UNSYNCHRONISED, [
    ["another origin timestamp", 31, 0x08, 0x09],
    ["mode 3 (our request reflected)", 0, 0xe4, 0xe3],
    ["mode 5 (broadcast)", 0, 0xe4, 0xe5],
    ["mode 6 (control)", 0, 0xe4, 0x26],
    ["version 0", 0, 0xe4, 0xc4],
    ["version 5", 0, 0xe4, 0xec],
  ]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the request reflected");
  assertPrefixesRefused(probe, NTPSEC_UNSYNCHRONISED);
});
