import { assertEquals, assertStrictEquals, assertThrows } from "../assert.ts";
import {
  arpFrame,
  icmpEchoFrame,
  internetChecksum,
  parseArp,
  parseIcmpEcho,
  parseTcp,
  TCP_ACK,
  TCP_SYN,
  tcpFrame,
} from "./frames.ts";

Deno.test("frames: internet checksum of a textbook IPv4 header", () => {
  const header = Uint8Array.from([
    0x45,
    0x00,
    0x00,
    0x73,
    0x00,
    0x00,
    0x40,
    0x00,
    0x40,
    0x11,
    0x00,
    0x00,
    0xc0,
    0xa8,
    0x00,
    0x01,
    0xc0,
    0xa8,
    0x00,
    0xc7,
  ]);
  assertStrictEquals(internetChecksum(header), 0xb861);
  header[10] = 0xb8;
  header[11] = 0x61;
  assertStrictEquals(internetChecksum(header), 0);
});

Deno.test("frames: ARP request bytes and round trip", () => {
  const arp = {
    op: 1,
    senderMac: "02:00:00:00:00:01",
    senderIp: "10.0.0.1",
    targetMac: "00:00:00:00:00:00",
    targetIp: "10.0.0.2",
  };
  const frame = arpFrame(arp);
  assertStrictEquals(frame.length, 42);
  assertEquals(Array.from(frame.subarray(0, 22)), [
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    2,
    0,
    0,
    0,
    0,
    1,
    0x08,
    0x06,
    0,
    1,
    0x08,
    0x00,
    6,
    4,
    0,
    1,
  ]);
  assertEquals(parseArp(frame), arp);
  assertStrictEquals(parseArp(frame.subarray(0, 41)), undefined);
});

Deno.test("frames: ICMP echo round trip and checksum validation", () => {
  const echo = {
    type: 8,
    srcMac: "02:00:00:00:00:01",
    dstMac: "02:00:00:00:00:02",
    srcIp: "10.0.0.1",
    dstIp: "10.0.0.2",
    id: 7,
    seq: 9,
    payload: Uint8Array.of(1, 2, 3),
  };
  const frame = icmpEchoFrame(echo);
  assertEquals(parseIcmpEcho(frame), echo);
  frame[frame.length - 1] ^= 0xff;
  assertStrictEquals(parseIcmpEcho(frame), undefined);
});

Deno.test("frames: TCP segment layout, checksums and round trip", () => {
  const segment = {
    srcMac: "02:00:00:00:00:01",
    dstMac: "02:00:00:00:00:02",
    srcIp: "10.0.0.1",
    dstIp: "10.0.0.2",
    srcPort: 5001,
    dstPort: 40000,
    seq: 0xffff_fff0,
    ack: 7,
    flags: TCP_SYN | TCP_ACK,
    window: 0xffff,
    options: Uint8Array.of(2, 4, 0x05, 0xb4),
    payload: Uint8Array.of(1, 2, 3),
  };
  const frame = tcpFrame(segment);
  assertStrictEquals(frame.length, 14 + 20 + 24 + 3);
  const ip = frame.subarray(14, 34);
  assertStrictEquals(internetChecksum(ip), 0);
  assertEquals(Array.from(ip.subarray(0, 4)), [0x45, 0, 0, 47]);
  const tcp = frame.subarray(34);
  assertStrictEquals(tcp[12], 6 << 4); // data offset: 24 bytes
  // The TCP checksum covers the pseudo header: addresses, protocol 6 and the TCP length.
  const pseudo = Uint8Array.of(10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, tcp.length);
  const summed = new Uint8Array(pseudo.length + tcp.length);
  summed.set(pseudo);
  summed.set(tcp, pseudo.length);
  assertStrictEquals(internetChecksum(summed), 0);
  assertEquals(parseTcp(frame), { ...segment, ipTotalLength: 47 });
  assertStrictEquals(parseTcp(frame.subarray(0, 14 + 20 + 19)), undefined);
  assertThrows(() => tcpFrame({ ...segment, options: Uint8Array.of(1, 1) }), RangeError);
});
