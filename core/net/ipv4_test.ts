import assert from "node:assert/strict";
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
  assert.equal(result.ok, false);
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
  assert.deepEqual(fields, {
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
  assert.equal(options.length, 0);
  assert.equal(payload.length, 24);
  assert.equal(payload.buffer, PING_REQUEST.buffer, "payload is a view");
  assert.equal(payload.byteOffset, 34);
  assert.equal(isFragment(packet), false);
});

Deno.test("ipv4: forwarded reply (TTL 63, no flags) and an ICMP error with TOS 0xc0", () => {
  const reply = unwrap(decodeIpv4(ipOf(PING_REPLY)));
  assert.equal(reply.ttl, 63);
  assert.equal(reply.dontFragment, false);
  assert.equal(reply.source, B_IP);
  assert.equal(reply.checksumValid, true);
  const error = unwrap(decodeIpv4(ipOf(PORT_UNREACHABLE)));
  assert.equal(error.dscp, 48, "CS6, network control");
  assert.equal(error.ecn, 0);
  assert.equal(error.totalLength, 63);
});

Deno.test("ipv4: Record Route options from ping -R (IHL 15)", () => {
  const request = unwrap(decodeIpv4(ipOf(RECORD_ROUTE_REQUEST)));
  assert.equal(request.headerLength, 60);
  assert.equal(request.options.length, 40);
  assert.equal(request.checksumValid, true);
  assert.equal(request.payload.length, 16);
  const [requestRoute, ...more] = unwrap(decodeIpv4Options(request.options));
  assert.equal(more.length, 0, "the leading NOP is skipped");
  assert.equal(requestRoute.type, IPV4_OPTION_RECORD_ROUTE);
  assert.equal(requestRoute.data.length, 37);
  assert.equal(requestRoute.data[0], 8, "pointer past the first recorded address");
  assert.equal(readIpv4(requestRoute.data, 1), A_IP);

  const reply = unwrap(decodeIpv4(ipOf(RECORD_ROUTE_REPLY)));
  const [replyRoute] = unwrap(decodeIpv4Options(reply.options));
  assert.equal(replyRoute.data[0], 24);
  const recorded = [1, 5, 9, 13, 17].map((offset) => readIpv4(replyRoute.data, offset));
  assert.deepEqual(
    recorded,
    ["10.99.0.1", "10.99.1.254", "10.99.1.2", "10.99.1.2", "10.99.0.254"].map(parseIpv4),
  );
});

Deno.test("ipv4: fragments of ping -s 1600 (MF, offset in bytes)", () => {
  const first = unwrap(decodeIpv4(ipOf(FIRST_FRAGMENT)));
  const last = unwrap(decodeIpv4(ipOf(LAST_FRAGMENT)));
  assert.equal(first.identification, 0x256b);
  assert.equal(last.identification, 0x256b);
  assert.deepEqual([first.moreFragments, first.fragmentOffset, first.totalLength], [true, 0, 1500]);
  assert.deepEqual([last.moreFragments, last.fragmentOffset, last.totalLength], [false, 1480, 148]);
  assert.equal(first.dontFragment, false);
  assert.ok(isFragment(first) && isFragment(last));
  assert.equal(first.destination, R_IP);
  assert.ok(first.checksumValid && last.checksumValid);
});

Deno.test("ipv4: every captured IPv4 packet re-encodes to the same bytes", () => {
  let count = 0;
  for (const [name, frame] of Object.entries(ALL_FRAMES)) {
    const ethernet = unwrap(decodeEthernet(frame));
    if (ethernet.etherType !== ETHERTYPE_IPV4) continue;
    assert.deepEqual(encodeIpv4(unwrap(decodeIpv4(ethernet.payload))), ethernet.payload, name);
    count++;
  }
  assert.equal(count, 16);
});

Deno.test("ipv4: link padding after the total length is excluded from the payload", () => {
  const padded = new Uint8Array(ipOf(SOCAT_UDP).length + 12);
  padded.set(ipOf(SOCAT_UDP));
  const packet = unwrap(decodeIpv4(padded));
  assert.equal(packet.payload.length, 18);
  assert.deepEqual(encodeIpv4(packet), ipOf(SOCAT_UDP));
});

Deno.test("ipv4: a wrong header checksum is reported, not rejected", () => {
  const packet = unwrap(decodeIpv4(patched(ipOf(PING_REQUEST), 8, 63)));
  assert.equal(packet.checksumValid, false);
  assert.equal(packet.checksum, 0xc31d);
});

Deno.test("ipv4: malformed packets are DecodeErrors with exact reasons", () => {
  const ip = ipOf(PING_REQUEST);
  assert.equal(failureMessage(ip.subarray(0, 14)), "ipv4: 14 bytes captured, a header needs at least 20");
  assert.equal(failureMessage(ip.subarray(0, 30)), "ipv4: total length 44 exceeds the 30 bytes captured");
  assert.equal(failureMessage(patched(ip, 0, 0x65)), "ipv4: version 6 is not 4");
  assert.equal(failureMessage(patched(ip, 0, 0x44)), "ipv4: IHL 4 is below the minimum of 5 (20 bytes)");
  assert.equal(failureMessage(patched(ip, 0, 0x40)), "ipv4: IHL 0 is below the minimum of 5 (20 bytes)");
  assert.equal(
    failureMessage(patched(ip, 0, 0x4f)),
    "ipv4: header length 60 (IHL 15) exceeds the 44 bytes captured",
  );
  assert.equal(
    failureMessage(patched(ip.subarray(0, 24), 0, 0x47)),
    "ipv4: header length 28 (IHL 7) exceeds the 24 bytes captured",
  );
  assert.equal(
    failureMessage(patched(ip, 2, 0, 19)),
    "ipv4: total length 19 is shorter than the 20-byte header",
  );
  assert.equal(
    failureMessage(patched(ip, 2, 0, 0)),
    "ipv4: total length 0 is shorter than the 20-byte header",
  );
  assert.equal(failureMessage(patched(ip, 6, 0xc0)), "ipv4: reserved flag bit is set");
});

Deno.test("ipv4: truncated decoding keeps what is present of the payload", () => {
  const cut = ipOf(SOCAT_UDP).subarray(0, 28);
  assert.equal(decodeIpv4(cut).ok, false);
  const packet = unwrap(decodeTruncatedIpv4(cut));
  assert.equal(packet.totalLength, 38);
  assert.equal(packet.payload.length, 8);
  assert.equal(packet.protocol, IP_PROTOCOL_UDP);
  assert.equal(decodeTruncatedIpv4(cut.subarray(0, 19)).ok, false);
});

Deno.test("ipv4: options walk errors", () => {
  const reason = (bytes: number[]) => {
    const result = decodeIpv4Options(new Uint8Array(bytes));
    return result.ok ? "ok" : result.error.message;
  };
  assert.equal(reason([1, 1, 1, 0, 0xde, 0xad]), "ok");
  assert.equal(reason([1, 7]), "ipv4 options: option 7 at offset 1 has no length byte");
  assert.equal(reason([7, 1, 0, 0]), "ipv4 options: option 7 at offset 0 has length 1");
  assert.equal(reason([7, 0, 0, 0]), "ipv4 options: option 7 at offset 0 has length 0");
  assert.equal(
    reason([0x44, 12, 5, 0]),
    "ipv4 options: option 68 at offset 0 has length 12, only 4 bytes remain",
  );
});

Deno.test("ipv4: encoder defaults, write at an offset, and checksums", () => {
  const header = { protocol: IP_PROTOCOL_UDP, source: A_IP, destination: B_IP };
  const target = new Uint8Array(64);
  assert.equal(writeIpv4Header(header, 8, target, 4), 20);
  const packet = unwrap(decodeIpv4(target.subarray(4, 32)));
  assert.equal(packet.ttl, 64);
  assert.equal(packet.totalLength, 28);
  assert.equal(packet.checksumValid, true);
  assert.equal(packet.dontFragment, false);
  const withOptions = encodeIpv4({ ...header, options: hex("01010100"), payload: new Uint8Array(3) });
  assert.equal(withOptions[0], 0x46);
  assert.equal(unwrap(decodeIpv4(withOptions)).checksumValid, true);
});

Deno.test("ipv4: encoder rejects impossible values", () => {
  const base = { protocol: IP_PROTOCOL_UDP, source: A_IP, destination: B_IP, payload: new Uint8Array(0) };
  assert.throws(() => encodeIpv4({ ...base, options: new Uint8Array(3) }), /multiple of 4/);
  assert.throws(() => encodeIpv4({ ...base, options: new Uint8Array(44) }), /at most 40/);
  assert.throws(() => encodeIpv4({ ...base, payload: new Uint8Array(65516) }), /total length/);
  assert.throws(() => encodeIpv4({ ...base, fragmentOffset: 12 }), /multiple of 8/);
  assert.throws(() => encodeIpv4({ ...base, fragmentOffset: 65536 }), /fragment offset/);
  assert.throws(() => encodeIpv4({ ...base, ttl: 256 }), /TTL/);
  assert.throws(() => encodeIpv4({ ...base, dscp: 64 }), /DSCP/);
  assert.throws(() => encodeIpv4({ ...base, destination: -1 }), /IPv4 address/);
  assert.throws(() => writeIpv4Header(base, 0, new Uint8Array(19), 0), RangeError);
  assert.equal(encodeIpv4({ ...base, payload: new Uint8Array(65515) }).length, 65535);
});
