import { assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { decodeUdp, encodeUdp, writeUdp } from "./udp.ts";
import { decodeIpv4, IP_PROTOCOL_UDP, type Ipv4Packet } from "./ipv4.ts";
import { decodeEthernet } from "./ethernet.ts";
import { parseIpv4 } from "./ipv4addr.ts";
import { unwrap } from "./errors.ts";
import { readUint16 } from "./bytes.ts";
import { onesComplementSum, pseudoHeaderSum } from "./checksum.ts";
import {
  MAUSEZAHN_QINQ_8100,
  MAUSEZAHN_VLAN,
  SCAPY_QINQ_88A8,
  SOCAT_UDP,
  SOCAT_UDP_NO_CHECKSUM,
  SOCAT_UDP_TO_CLOSED_PORT,
} from "./testdata/captures.ts";

const text = new TextDecoder();
const bytesOf = (value: string) => new TextEncoder().encode(value);

function ipOf(frame: Uint8Array): Ipv4Packet {
  return unwrap(decodeIpv4(unwrap(decodeEthernet(frame)).payload));
}

function failureMessage(bytes: Uint8Array): string {
  const result = decodeUdp(bytes, { source: 0, destination: 0 });
  assertStrictEquals(result.ok, false);
  return result.ok ? "" : result.error.message;
}

Deno.test("udp: socat datagram, every field", () => {
  const ip = ipOf(SOCAT_UDP);
  const { payload, ...fields } = unwrap(decodeUdp(ip.payload, ip));
  assertEquals(fields, {
    sourcePort: 40000,
    destinationPort: 5000,
    length: 18,
    checksum: 0x741a,
    hasChecksum: true,
    checksumValid: true,
  });
  assertStrictEquals(text.decode(payload), "ctpf hello");
  assertStrictEquals(payload.buffer, SOCAT_UDP.buffer, "payload is a view");
});

Deno.test("udp: tagged datagrams from mausezahn and scapy carry valid checksums", () => {
  const cases: [Uint8Array, number, number, string][] = [
    [MAUSEZAHN_VLAN, 40010, 5010, "vlan10"],
    [MAUSEZAHN_QINQ_8100, 40020, 5020, "qinq"],
    [SCAPY_QINQ_88A8, 40030, 5030, "88a8"],
    [SOCAT_UDP_TO_CLOSED_PORT, 40002, 5999, "anyone?"],
  ];
  for (const [frame, sourcePort, destinationPort, payload] of cases) {
    const ip = ipOf(frame);
    const datagram = unwrap(decodeUdp(ip.payload, ip));
    assertEquals(
      [datagram.sourcePort, datagram.destinationPort, datagram.checksumValid, text.decode(datagram.payload)],
      [sourcePort, destinationPort, true, payload],
    );
  }
});

Deno.test("udp: checksum 0 from SO_NO_CHECK means none, and counts as valid", () => {
  const ip = ipOf(SOCAT_UDP_NO_CHECKSUM);
  const datagram = unwrap(decodeUdp(ip.payload, ip));
  assertStrictEquals(datagram.checksum, 0);
  assertStrictEquals(datagram.hasChecksum, false);
  assertStrictEquals(datagram.checksumValid, true);
  assertStrictEquals(text.decode(datagram.payload), "nocsum");
  assertEquals(encodeUdp(datagram, ip, { omitChecksum: true }), ip.payload);
});

Deno.test("udp: the checksum depends on the pseudo-header addresses", () => {
  const ip = ipOf(SOCAT_UDP);
  const other = { source: ip.source, destination: parseIpv4("10.99.1.3") };
  assertStrictEquals(unwrap(decodeUdp(ip.payload, other)).checksumValid, false);
  const flipped = ip.payload.slice();
  flipped[10] ^= 0x20;
  assertStrictEquals(unwrap(decodeUdp(flipped, ip)).checksumValid, false);
});

Deno.test("udp: captured datagrams re-encode to the same bytes", () => {
  for (
    const frame of [SOCAT_UDP, MAUSEZAHN_VLAN, MAUSEZAHN_QINQ_8100, SCAPY_QINQ_88A8, SOCAT_UDP_TO_CLOSED_PORT]
  ) {
    const ip = ipOf(frame);
    assertEquals(encodeUdp(unwrap(decodeUdp(ip.payload, ip)), ip), ip.payload);
  }
});

Deno.test("udp: a computed checksum of 0 goes on the wire as 0xffff", () => {
  const ip = { source: parseIpv4("192.0.2.1"), destination: parseIpv4("192.0.2.2") };
  const payload = new Uint8Array(2);
  // Choose the payload word that makes the one's complement sum 0xffff, i.e. the checksum 0.
  const header = new Uint8Array([0x12, 0x34, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00]);
  const sum = onesComplementSum(
    header,
    0,
    8,
    pseudoHeaderSum(ip.source, ip.destination, IP_PROTOCOL_UDP, 10),
  );
  const word = 0xffff - sum;
  payload[0] = word >>> 8;
  payload[1] = word & 0xff;
  const encoded = encodeUdp({ sourcePort: 0x1234, destinationPort: 53, payload }, ip);
  assertStrictEquals(readUint16(encoded, 6), 0xffff);
  const decoded = unwrap(decodeUdp(encoded, ip));
  assertStrictEquals(decoded.hasChecksum, true);
  assertStrictEquals(decoded.checksumValid, true);
});

Deno.test("udp: writeUdp at an offset; bytes past the UDP length are ignored", () => {
  const ip = ipOf(SOCAT_UDP);
  const target = new Uint8Array(40);
  assertStrictEquals(
    writeUdp({ sourcePort: 40000, destinationPort: 5000, payload: bytesOf("ctpf hello") }, ip, target, 3),
    18,
  );
  assertEquals(target.subarray(3, 21), ip.payload);
  const datagram = unwrap(decodeUdp(target.subarray(3), ip));
  assertStrictEquals(datagram.payload.length, 10);
  assertStrictEquals(datagram.checksumValid, true);
  assertThrows(() => writeUdp(datagram, ip, target, 30), RangeError);
});

Deno.test("udp: malformed datagrams are DecodeErrors with exact reasons", () => {
  const udp = ipOf(SOCAT_UDP).payload;
  const withLength = (length: number) => {
    const copy = udp.slice();
    copy[4] = length >>> 8;
    copy[5] = length & 0xff;
    return copy;
  };
  assertStrictEquals(failureMessage(udp.subarray(0, 7)), "udp: 7 bytes captured, a header needs 8");
  assertStrictEquals(failureMessage(udp.subarray(0, 17)), "udp: length 18 exceeds the 17 bytes captured");
  assertStrictEquals(failureMessage(withLength(7)), "udp: length 7 is shorter than the 8-byte header");
  assertStrictEquals(failureMessage(withLength(0)), "udp: length 0 is shorter than the 8-byte header");
  assertStrictEquals(failureMessage(withLength(0xffff)), "udp: length 65535 exceeds the 18 bytes captured");
  assertStrictEquals(unwrap(decodeUdp(withLength(8), ipOf(SOCAT_UDP))).payload.length, 0);
});

Deno.test("udp: encoder rejects impossible values", () => {
  const ip = { source: 1, destination: 2 };
  assertThrows(
    () => encodeUdp({ sourcePort: 65536, destinationPort: 1, payload: new Uint8Array(0) }, ip),
    /port/,
  );
  assertThrows(
    () => encodeUdp({ sourcePort: 1, destinationPort: -1, payload: new Uint8Array(0) }, ip),
    /port/,
  );
  assertThrows(
    () => encodeUdp({ sourcePort: 1, destinationPort: 1, payload: new Uint8Array(65528) }, ip),
    /length/,
  );
});
