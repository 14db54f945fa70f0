import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import {
  decodeEthernet,
  encodeEthernet,
  type EthernetFrame,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  TPID_QINQ,
  TPID_VLAN,
  writeEthernetHeader,
} from "./ethernet.ts";
import { decodeArp } from "./arp.ts";
import { BROADCAST_MAC, parseMac } from "./mac.ts";
import { unwrap } from "./errors.ts";
import {
  ALL_FRAMES,
  ARPING_REQUEST,
  hex,
  MAUSEZAHN_QINQ_8100,
  MAUSEZAHN_VLAN,
  PING_REQUEST,
  SCAPY_QINQ_88A8,
} from "./testdata/captures.ts";

const A_MAC = parseMac("02:00:00:00:00:0a");
const R_MAC = parseMac("02:00:00:00:00:1a");

function failureMessage(bytes: Uint8Array): string {
  const result = decodeEthernet(bytes);
  assertStrictEquals(result.ok, false);
  return result.ok ? "" : result.error.message;
}

Deno.test("ethernet: untagged ARP broadcast from arping", () => {
  const frame = unwrap(decodeEthernet(ARPING_REQUEST));
  assertStrictEquals(frame.destination, BROADCAST_MAC);
  assertStrictEquals(frame.source, A_MAC);
  assertEquals(frame.vlanTags, []);
  assertStrictEquals(frame.etherType, ETHERTYPE_ARP);
  assertStrictEquals(frame.payload.length, 28);
});

Deno.test("ethernet: payload is a zero-copy view of the input", () => {
  const frame = unwrap(decodeEthernet(PING_REQUEST));
  assertStrictEquals(frame.payload.buffer, PING_REQUEST.buffer);
  assertStrictEquals(frame.payload.byteOffset, PING_REQUEST.byteOffset + 14);
  assertStrictEquals(frame.payload.length, PING_REQUEST.length - 14);
});

Deno.test("ethernet: one 802.1Q tag with priority (mausezahn -Q 5:10)", () => {
  const frame = unwrap(decodeEthernet(MAUSEZAHN_VLAN));
  assertStrictEquals(frame.destination, R_MAC);
  assertStrictEquals(frame.source, A_MAC);
  assertEquals(frame.vlanTags, [{ tpid: TPID_VLAN, priority: 5, dropEligible: false, vlanId: 10 }]);
  assertStrictEquals(frame.etherType, ETHERTYPE_IPV4);
  assertStrictEquals(frame.payload.byteOffset, 18);
  assertStrictEquals(frame.payload.length, 34);
});

Deno.test("ethernet: two 0x8100 tags, outermost first (mausezahn -Q 100,20)", () => {
  const frame = unwrap(decodeEthernet(MAUSEZAHN_QINQ_8100));
  assertEquals(frame.vlanTags, [
    { tpid: TPID_VLAN, priority: 0, dropEligible: false, vlanId: 100 },
    { tpid: TPID_VLAN, priority: 0, dropEligible: false, vlanId: 20 },
  ]);
  assertStrictEquals(frame.etherType, ETHERTYPE_IPV4);
  assertStrictEquals(frame.payload.length, 32);
});

Deno.test("ethernet: 802.1ad S-tag outside an 802.1Q C-tag (scapy Dot1AD/Dot1Q)", () => {
  const frame = unwrap(decodeEthernet(SCAPY_QINQ_88A8));
  assertEquals(frame.vlanTags, [
    { tpid: TPID_QINQ, priority: 0, dropEligible: false, vlanId: 100 },
    { tpid: TPID_VLAN, priority: 3, dropEligible: false, vlanId: 20 },
  ]);
  assertStrictEquals(frame.etherType, ETHERTYPE_IPV4);
});

Deno.test("ethernet: drop eligible bit and VLAN 4095 decode", () => {
  const frame = unwrap(decodeEthernet(hex("ffffffffffff02000000000a8100ffff0800")));
  assertEquals(frame.vlanTags, [{ tpid: TPID_VLAN, priority: 7, dropEligible: true, vlanId: 4095 }]);
  assertStrictEquals(frame.payload.length, 0);
});

Deno.test("ethernet: every captured frame re-encodes to the same bytes", () => {
  for (const [name, bytes] of Object.entries(ALL_FRAMES)) {
    assertEquals(encodeEthernet(unwrap(decodeEthernet(bytes))), bytes, name);
  }
});

Deno.test("ethernet: writeEthernetHeader writes at an offset and returns the header length", () => {
  const frame = unwrap(decodeEthernet(SCAPY_QINQ_88A8));
  const target = new Uint8Array(100);
  assertStrictEquals(writeEthernetHeader(frame, target, 7), 22);
  assertEquals(target.subarray(7, 29), SCAPY_QINQ_88A8.subarray(0, 22));
  assertThrows(() => writeEthernetHeader(frame, new Uint8Array(21), 0), RangeError);
});

Deno.test("ethernet: padding to the 60-byte minimum, which the ARP decoder ignores", () => {
  const frame = unwrap(decodeEthernet(ARPING_REQUEST));
  const padded = encodeEthernet(frame, { padToMinimum: true });
  assertStrictEquals(padded.length, 60);
  assertEquals(padded.subarray(0, 42), ARPING_REQUEST);
  assert(padded.subarray(42).every((byte) => byte === 0));
  const reparsed = unwrap(decodeEthernet(padded));
  assertStrictEquals(reparsed.payload.length, 46);
  assertEquals(unwrap(decodeArp(reparsed.payload)), unwrap(decodeArp(frame.payload)));
  assertStrictEquals(encodeEthernet(unwrap(decodeEthernet(PING_REQUEST)), { padToMinimum: true }).length, 60);
});

Deno.test("ethernet: malformed frames are DecodeErrors with exact reasons", () => {
  assertStrictEquals(
    failureMessage(ARPING_REQUEST.subarray(0, 13)),
    "ethernet: 13 bytes captured, a header needs 14",
  );
  assertStrictEquals(failureMessage(new Uint8Array(0)), "ethernet: 0 bytes captured, a header needs 14");
  assertStrictEquals(
    failureMessage(MAUSEZAHN_VLAN.subarray(0, 17)),
    "vlan: tag 1 needs bytes 14-17, 17 captured",
  );
  assertStrictEquals(
    failureMessage(MAUSEZAHN_QINQ_8100.subarray(0, 20)),
    "vlan: tag 2 needs bytes 18-21, 20 captured",
  );
  assertStrictEquals(
    failureMessage(hex("ffffffffffff02000000000a8100000a88a800140800")),
    "vlan: 802.1ad tag (0x88a8) inside an 802.1Q tag at offset 16",
  );
  assertStrictEquals(
    failureMessage(hex("0180c200000002000000000a0026424203000000")),
    "ethernet: type field 0x0026 is an 802.3 length, not an EtherType (only Ethernet II is supported)",
  );
  assertMatch(
    failureMessage(hex("ffffffffffff02000000000a8100000a05dc")),
    /type field 0x05dc is an 802.3 length/,
  );
});

Deno.test("ethernet: encoder rejects values that cannot be on the wire", () => {
  const base: EthernetFrame = {
    destination: BROADCAST_MAC,
    source: A_MAC,
    vlanTags: [],
    etherType: ETHERTYPE_ARP,
    payload: new Uint8Array(0),
  };
  const tag = { tpid: TPID_VLAN, priority: 0, dropEligible: false, vlanId: 1 };
  assertThrows(() => encodeEthernet({ ...base, vlanTags: [{ ...tag, vlanId: 4096 }] }), /VLAN id must be/);
  assertThrows(() => encodeEthernet({ ...base, vlanTags: [{ ...tag, priority: 8 }] }), /VLAN priority/);
  assertThrows(() => encodeEthernet({ ...base, vlanTags: [{ ...tag, tpid: 0x9100 }] }), /TPID must be/);
  assertThrows(() => encodeEthernet({ ...base, etherType: 0x05dc }), /802.3 length/);
  assertThrows(() => encodeEthernet({ ...base, source: 2 ** 48 }), /MAC address must be/);
});
