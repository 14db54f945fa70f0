import { assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { ARP_REPLY, ARP_REQUEST, type ArpPacket, decodeArp, encodeArp, writeArp } from "./arp.ts";
import { BROADCAST_MAC, parseMac } from "./mac.ts";
import { parseIpv4 } from "./ipv4addr.ts";
import { unwrap } from "./errors.ts";
import { ARPING_REPLY, ARPING_REQUEST, KERNEL_ARP_REQUEST, PORT_UNREACHABLE } from "./testdata/captures.ts";

const A_MAC = parseMac("02:00:00:00:00:0a");
const R_MAC = parseMac("02:00:00:00:00:1a");
const A_IP = parseIpv4("10.99.0.1");
const R_IP = parseIpv4("10.99.0.254");

const arpOf = (frame: Uint8Array) => frame.subarray(14);

function failureMessage(bytes: Uint8Array): string {
  const result = decodeArp(bytes);
  assertStrictEquals(result.ok, false);
  return result.ok ? "" : result.error.message;
}

Deno.test("arp: arping request (target MAC broadcast) and the kernel's reply", () => {
  assertEquals(unwrap(decodeArp(arpOf(ARPING_REQUEST))), {
    operation: ARP_REQUEST,
    senderMac: A_MAC,
    senderIp: A_IP,
    targetMac: BROADCAST_MAC,
    targetIp: R_IP,
  });
  assertEquals(unwrap(decodeArp(arpOf(ARPING_REPLY))), {
    operation: ARP_REPLY,
    senderMac: R_MAC,
    senderIp: R_IP,
    targetMac: A_MAC,
    targetIp: A_IP,
  });
});

Deno.test("arp: kernel request leaves the target MAC zero", () => {
  const packet = unwrap(decodeArp(arpOf(KERNEL_ARP_REQUEST)));
  assertStrictEquals(packet.operation, ARP_REQUEST);
  assertStrictEquals(packet.targetMac, 0);
  assertStrictEquals(packet.targetIp, R_IP);
});

Deno.test("arp: captured packets re-encode to the same bytes", () => {
  for (const frame of [ARPING_REQUEST, ARPING_REPLY, KERNEL_ARP_REQUEST]) {
    assertEquals(encodeArp(unwrap(decodeArp(arpOf(frame)))), arpOf(frame));
  }
});

Deno.test("arp: writeArp at an offset, and trailing link padding is ignored on decode", () => {
  const packet: ArpPacket = unwrap(decodeArp(arpOf(ARPING_REPLY)));
  const target = new Uint8Array(64);
  assertStrictEquals(writeArp(packet, target, 14), 28);
  assertEquals(target.subarray(14, 42), arpOf(ARPING_REPLY));
  assertEquals(unwrap(decodeArp(target.subarray(14))), packet);
  assertThrows(() => writeArp(packet, target, 40), RangeError);
});

Deno.test("arp: malformed packets are DecodeErrors with exact reasons", () => {
  const valid = arpOf(ARPING_REQUEST);
  const patched = (offset: number, ...values: number[]) => {
    const copy = valid.slice();
    copy.set(values, offset);
    return copy;
  };
  assertStrictEquals(failureMessage(valid.subarray(0, 27)), "arp: 27 bytes captured, a packet needs 28");
  assertStrictEquals(failureMessage(patched(0, 0, 6)), "arp: hardware type 6 is not Ethernet (1)");
  assertStrictEquals(
    failureMessage(patched(2, 0x86, 0xdd)),
    "arp: protocol type 0x86dd is not IPv4 (0x0800)",
  );
  assertStrictEquals(
    failureMessage(patched(4, 6, 16)),
    "arp: address lengths 6/16 are not 6/4 (Ethernet/IPv4)",
  );
  assertStrictEquals(
    failureMessage(patched(6, 0, 3)),
    "arp: operation 3 is neither request (1) nor reply (2)",
  );
  assertStrictEquals(failureMessage(arpOf(PORT_UNREACHABLE)), "arp: hardware type 17856 is not Ethernet (1)"); // 0x45c0: an IPv4 header
});

Deno.test("arp: encoder rejects impossible values", () => {
  const packet = unwrap(decodeArp(arpOf(ARPING_REQUEST)));
  assertThrows(() => encodeArp({ ...packet, operation: 3 }), RangeError);
  assertThrows(() => encodeArp({ ...packet, senderIp: 2 ** 32 }), RangeError);
  assertThrows(() => encodeArp({ ...packet, targetMac: -1 }), RangeError);
});
