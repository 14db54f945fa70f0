import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { ikeProbe } from "./ike.ts";
import { hex } from "./testdata/bytes.ts";
import {
  IKE_MAIN_MODE_RESPONSE,
  IKE_NO_PROPOSAL_CHOSEN,
  IKEV2_INVALID_MAJOR_VERSION,
} from "./testdata/replies.ts";
import { assertEditsRefused, assertPrefixesRefused, mutated } from "./testdata/checks.ts";

const cookie = hex("0102030405060708");
const probe = ikeProbe({ cookie });

/** A transform payload (RFC 2408 §3.6) for KEY_IKE with the attributes of RFC 2409 Appendix A. */
const transform = (next: string, length: string, number: string, attributes: string) =>
  `${next} 00 ${length} ${number} 01 0000 ${attributes} 000c0004 00007080`;

Deno.test("ike: Main Mode SA offer of four pre-shared-key transforms (RFC 2408 §3, RFC 2409 §5)", () => {
  assertEquals(
    probe.payload(),
    hex(`
      0102030405060708 0000000000000000 01 10 02 00 00000000 000000c8
      00 00 00ac 00000001 00000001
        00 00 00a0 01 01 00 04
          ${transform("03", "0028", "01", "80010007 800e0080 80020004 80030001 8004000e 800b0001")}
          ${transform("03", "0028", "02", "80010007 800e0080 80020002 80030001 80040002 800b0001")}
          ${transform("03", "0024", "03", "80010005 80020002 80030001 80040002 800b0001")}
          ${transform("00", "0024", "04", "80010005 80020001 80030001 80040002 800b0001")}`),
  );
  assertThrows(() => ikeProbe({ cookie: new Uint8Array(4) }), RangeError);
});

Deno.test("ike: a Main Mode answer, a NO-PROPOSAL-CHOSEN and an IKEv2 refusal are all IKE", () => {
  assertEquals(probe.recognise(IKE_MAIN_MODE_RESPONSE), {
    service: "ike",
    detail: "IKEv1, proposal accepted, 1 vendor IDs",
  });
  assertEquals(probe.recognise(IKE_NO_PROPOSAL_CHOSEN), {
    service: "ike",
    detail: "IKEv1, notify 14 (NO-PROPOSAL-CHOSEN)",
  });
  assertEquals(probe.recognise(IKEV2_INVALID_MAJOR_VERSION), {
    service: "ike",
    detail: "IKEv2 answered an IKEv1 offer",
  });
  const encrypted = mutated(IKE_NO_PROPOSAL_CHOSEN, (bytes) => (bytes[19] = 0x01));
  assertEquals(probe.recognise(encrypted), { service: "ike", detail: "IKEv1, encrypted reply" });
  const unnamed = mutated(IKE_NO_PROPOSAL_CHOSEN, (bytes) => (bytes[39] = 0x63));
  assertStrictEquals(probe.recognise(unnamed)?.detail, "IKEv1, notify 99");
});

Deno.test("ike: replies to another initiator, reflections and broken chains are refused", () => {
  // Main Mode response: next payload 16, version 17, exchange 18, length 24-27; SA 28-83, VID from 84.
  assertEditsRefused(probe, IKE_MAIN_MODE_RESPONSE, [
    ["another initiator cookie", 7, 0x08, 0x09],
    ["major version 3", 17, 0x10, 0x30],
    ["exchange Aggressive", 18, 0x02, 0x04],
    ["length past the end", 27, 0x68, 0x69],
    ["length below the header", 27, 0x68, 0x1b],
    ["SA length past the message", 31, 0x38, 0x70],
    ["payload length 0", 31, 0x38, 0x00],
    ["a chain that does not end", 84, 0x00, 0x0d],
  ]);
  const reflected = mutated(IKE_MAIN_MODE_RESPONSE, (bytes) => bytes.fill(0, 8, 16));
  assertStrictEquals(probe.recognise(reflected), undefined, "Main Mode without a responder cookie");
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the offer reflected");
  assertPrefixesRefused(probe, IKE_MAIN_MODE_RESPONSE);
  assertPrefixesRefused(probe, IKE_NO_PROPOSAL_CHOSEN);
});

Deno.test("ike: a chain of more than 32 payloads is refused", () => {
  /** An Informational reply to the probe carrying `count` empty vendor ID payloads. */
  const vendorIds = (count: number) => {
    const reply = new Uint8Array(28 + count * 4);
    reply.set(cookie);
    reply.set([13, 0x10, 5, 0], 16);
    new DataView(reply.buffer).setUint32(24, reply.length);
    for (let i = 0; i < count; i++) reply.set([i === count - 1 ? 0 : 13, 0, 0, 4], 28 + i * 4);
    return reply;
  };
  assertStrictEquals(probe.recognise(vendorIds(32))?.detail, "IKEv1, 32 vendor IDs");
  assertStrictEquals(probe.recognise(vendorIds(33)), undefined);
});
