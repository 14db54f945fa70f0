import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import {
  decodeIpv4,
  decodeIpv4Options,
  decodeTruncatedIpv4,
  encodeIpv4,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_UDP,
  IPV4_OPTION_RECORD_ROUTE,
  isFragment,
  writeIpv4Header,
} from "./ipv4.ts";
import { decodeEthernet, ETHERTYPE_IPV4 } from "./ethernet.ts";
import { parseIpv4, readIpv4 } from "./ipv4addr.ts";
import { unwrap } from "./errors.ts";
import {
  ALL_FRAMES,
  FIRST_FRAGMENT,
  hex,
  LAST_FRAGMENT,
  PING_REPLY,
  PING_REQUEST,
  PORT_UNREACHABLE,
  RECORD_ROUTE_REPLY,
  RECORD_ROUTE_REQUEST,
  SOCAT_UDP,
} from "./testdata/captures.ts";

const A_IP = parseIpv4("10.99.0.1");
const R_IP = parseIpv4("10.99.0.254");
const B_IP = parseIpv4("10.99.1.2");

const ipOf = (frame: Uint8Array) => frame.subarray(14);

function failureMessage(bytes: Uint8Array): string {
  const result = decodeIpv4(bytes);
  assertStrictEquals(result.ok, false);
  return result.ok ? "" : result.error.message;
}

function patched(bytes: Uint8Array, offset: number, ...values: number[]): Uint8Array {
  const copy = bytes.slice();
  copy.set(values, offset);
  return copy;
}

Deno.test("ipv4: ping echo request with DF, every field", () => {
  const packet = unwrap(decodeIpv4(ipOf(PING_REQUEST)));
  const { options, payload, ...fields } = packet;
  assertEquals(fields, {
    dscp: 0,
    ecn: 0,
    headerLength: 20,
    totalLength: 44,
    identification: 0x61eb,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IP_PROTOCOL_ICMP,
    checksum: 0xc31d,
    checksumValid: true,
    source: A_IP,
    destination: B_IP,
  });
  assertStrictEquals(options.length, 0);
  assertStrictEquals(payload.length, 24);
  assertStrictEquals(payload.buffer, PING_REQUEST.buffer, "payload is a view");
  assertStrictEquals(payload.byteOffset, 34);
  assertStrictEquals(isFragment(packet), false);
});

Deno.test("ipv4: forwarded reply (TTL 63, no flags) and an ICMP error with TOS 0xc0", () => {
  const reply = unwrap(decodeIpv4(ipOf(PING_REPLY)));
  assertStrictEquals(reply.ttl, 63);
  assertStrictEquals(reply.dontFragment, false);
  assertStrictEquals(reply.source, B_IP);
  assertStrictEquals(reply.checksumValid, true);
  const error = unwrap(decodeIpv4(ipOf(PORT_UNREACHABLE)));
  assertStrictEquals(error.dscp, 48, "CS6, network control");
  assertStrictEquals(error.ecn, 0);
  assertStrictEquals(error.totalLength, 63);
});

Deno.test("ipv4: Record Route options from ping -R (IHL 15)", () => {
  const request = unwrap(decodeIpv4(ipOf(RECORD_ROUTE_REQUEST)));
  assertStrictEquals(request.headerLength, 60);
  assertStrictEquals(request.options.length, 40);
  assertStrictEquals(request.checksumValid, true);
  assertStrictEquals(request.payload.length, 16);
  const [requestRoute, ...more] = unwrap(decodeIpv4Options(request.options));
  assertStrictEquals(more.length, 0, "the leading NOP is skipped");
  assertStrictEquals(requestRoute.type, IPV4_OPTION_RECORD_ROUTE);
  assertStrictEquals(requestRoute.data.length, 37);
  assertStrictEquals(requestRoute.data[0], 8, "pointer past the first recorded address");
  assertStrictEquals(readIpv4(requestRoute.data, 1), A_IP);

  const reply = unwrap(decodeIpv4(ipOf(RECORD_ROUTE_REPLY)));
  const [replyRoute] = unwrap(decodeIpv4Options(reply.options));
  assertStrictEquals(replyRoute.data[0], 24);
  const recorded = [1, 5, 9, 13, 17].map((offset) => readIpv4(replyRoute.data, offset));
  assertEquals(
    recorded,
    ["10.99.0.1", "10.99.1.254", "10.99.1.2", "10.99.1.2", "10.99.0.254"].map(parseIpv4),
  );
});

Deno.test("ipv4: fragments of ping -s 1600 (MF, offset in bytes)", () => {
  const first = unwrap(decodeIpv4(ipOf(FIRST_FRAGMENT)));
  const last = unwrap(decodeIpv4(ipOf(LAST_FRAGMENT)));
  assertStrictEquals(first.identification, 0x256b);
  assertStrictEquals(last.identification, 0x256b);
  assertEquals([first.moreFragments, first.fragmentOffset, first.totalLength], [true, 0, 1500]);
  assertEquals([last.moreFragments, last.fragmentOffset, last.totalLength], [false, 1480, 148]);
  assertStrictEquals(first.dontFragment, false);
  assert(isFragment(first) && isFragment(last));
  assertStrictEquals(first.destination, R_IP);
  assert(first.checksumValid && last.checksumValid);
});

Deno.test("ipv4: every captured IPv4 packet re-encodes to the same bytes", () => {
  let count = 0;
  for (const [name, frame] of Object.entries(ALL_FRAMES)) {
    const ethernet = unwrap(decodeEthernet(frame));
    if (ethernet.etherType !== ETHERTYPE_IPV4) continue;
    assertEquals(encodeIpv4(unwrap(decodeIpv4(ethernet.payload))), ethernet.payload, name);
    count++;
  }
  assertStrictEquals(count, 16);
});

Deno.test("ipv4: link padding after the total length is excluded from the payload", () => {
  const padded = new Uint8Array(ipOf(SOCAT_UDP).length + 12);
  padded.set(ipOf(SOCAT_UDP));
  const packet = unwrap(decodeIpv4(padded));
  assertStrictEquals(packet.payload.length, 18);
  assertEquals(encodeIpv4(packet), ipOf(SOCAT_UDP));
});

Deno.test("ipv4: a wrong header checksum is reported, not rejected", () => {
  const packet = unwrap(decodeIpv4(patched(ipOf(PING_REQUEST), 8, 63)));
  assertStrictEquals(packet.checksumValid, false);
  assertStrictEquals(packet.checksum, 0xc31d);
});

Deno.test("ipv4: malformed packets are DecodeErrors with exact reasons", () => {
  const ip = ipOf(PING_REQUEST);
  assertStrictEquals(
    failureMessage(ip.subarray(0, 14)),
    "ipv4: 14 bytes captured, a header needs at least 20",
  );
  assertStrictEquals(
    failureMessage(ip.subarray(0, 30)),
    "ipv4: total length 44 exceeds the 30 bytes captured",
  );
  assertStrictEquals(failureMessage(patched(ip, 0, 0x65)), "ipv4: version 6 is not 4");
  assertStrictEquals(
    failureMessage(patched(ip, 0, 0x44)),
    "ipv4: IHL 4 is below the minimum of 5 (20 bytes)",
  );
  assertStrictEquals(
    failureMessage(patched(ip, 0, 0x40)),
    "ipv4: IHL 0 is below the minimum of 5 (20 bytes)",
  );
  assertStrictEquals(
    failureMessage(patched(ip, 0, 0x4f)),
    "ipv4: header length 60 (IHL 15) exceeds the 44 bytes captured",
  );
  assertStrictEquals(
    failureMessage(patched(ip.subarray(0, 24), 0, 0x47)),
    "ipv4: header length 28 (IHL 7) exceeds the 24 bytes captured",
  );
  assertStrictEquals(
    failureMessage(patched(ip, 2, 0, 19)),
    "ipv4: total length 19 is shorter than the 20-byte header",
  );
  assertStrictEquals(
    failureMessage(patched(ip, 2, 0, 0)),
    "ipv4: total length 0 is shorter than the 20-byte header",
  );
  assertStrictEquals(failureMessage(patched(ip, 6, 0xc0)), "ipv4: reserved flag bit is set");
});

Deno.test("ipv4: truncated decoding keeps what is present of the payload", () => {
  const cut = ipOf(SOCAT_UDP).subarray(0, 28);
  assertStrictEquals(decodeIpv4(cut).ok, false);
  const packet = unwrap(decodeTruncatedIpv4(cut));
  assertStrictEquals(packet.totalLength, 38);
  assertStrictEquals(packet.payload.length, 8);
  assertStrictEquals(packet.protocol, IP_PROTOCOL_UDP);
  assertStrictEquals(decodeTruncatedIpv4(cut.subarray(0, 19)).ok, false);
});

Deno.test("ipv4: options walk errors", () => {
  const reason = (bytes: number[]) => {
    const result = decodeIpv4Options(new Uint8Array(bytes));
    return result.ok ? "ok" : result.error.message;
  };
  assertStrictEquals(reason([1, 1, 1, 0, 0xde, 0xad]), "ok");
  assertStrictEquals(reason([1, 7]), "ipv4 options: option 7 at offset 1 has no length byte");
  assertStrictEquals(reason([7, 1, 0, 0]), "ipv4 options: option 7 at offset 0 has length 1");
  assertStrictEquals(reason([7, 0, 0, 0]), "ipv4 options: option 7 at offset 0 has length 0");
  assertStrictEquals(
    reason([0x44, 12, 5, 0]),
    "ipv4 options: option 68 at offset 0 has length 12, only 4 bytes remain",
  );
});

Deno.test("ipv4: encoder defaults, write at an offset, and checksums", () => {
  const header = { protocol: IP_PROTOCOL_UDP, source: A_IP, destination: B_IP };
  const target = new Uint8Array(64);
  assertStrictEquals(writeIpv4Header(header, 8, target, 4), 20);
  const packet = unwrap(decodeIpv4(target.subarray(4, 32)));
  assertStrictEquals(packet.ttl, 64);
  assertStrictEquals(packet.totalLength, 28);
  assertStrictEquals(packet.checksumValid, true);
  assertStrictEquals(packet.dontFragment, false);
  const withOptions = encodeIpv4({ ...header, options: hex("01010100"), payload: new Uint8Array(3) });
  assertStrictEquals(withOptions[0], 0x46);
  assertStrictEquals(unwrap(decodeIpv4(withOptions)).checksumValid, true);
});

Deno.test("ipv4: encoder rejects impossible values", () => {
  const base = { protocol: IP_PROTOCOL_UDP, source: A_IP, destination: B_IP, payload: new Uint8Array(0) };
  assertThrows(() => encodeIpv4({ ...base, options: new Uint8Array(3) }), /multiple of 4/);
  assertThrows(() => encodeIpv4({ ...base, options: new Uint8Array(44) }), /at most 40/);
  assertThrows(() => encodeIpv4({ ...base, payload: new Uint8Array(65516) }), /total length/);
  assertThrows(() => encodeIpv4({ ...base, fragmentOffset: 12 }), /multiple of 8/);
  assertThrows(() => encodeIpv4({ ...base, fragmentOffset: 65536 }), /fragment offset/);
  assertThrows(() => encodeIpv4({ ...base, ttl: 256 }), /TTL/);
  assertThrows(() => encodeIpv4({ ...base, dscp: 64 }), /DSCP/);
  assertThrows(() => encodeIpv4({ ...base, destination: -1 }), /IPv4 address/);
  assertThrows(() => writeIpv4Header(base, 0, new Uint8Array(19), 0), RangeError);
  assertStrictEquals(encodeIpv4({ ...base, payload: new Uint8Array(65515) }).length, 65535);
});
