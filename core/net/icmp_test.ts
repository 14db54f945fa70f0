import assert from "node:assert/strict";
import {
  decodeIcmp,
  decodeIcmpQuote,
  encodeIcmp,
  ICMP_DESTINATION_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  type IcmpMessage,
  TIME_EXCEEDED_IN_TRANSIT,
  UNREACHABLE_FRAGMENTATION_NEEDED,
  UNREACHABLE_PORT,
  writeIcmp,
} from "./icmp.ts";
import { decodeIpv4, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP } from "./ipv4.ts";
import { decodeUdp } from "./udp.ts";
import { decodeEthernet } from "./ethernet.ts";
import { parseIpv4 } from "./ipv4addr.ts";
import { unwrap } from "./errors.ts";
import {
  FIRST_FRAGMENT,
  hex,
  PING_REPLY,
  PING_REQUEST,
  PORT_UNREACHABLE,
  RECORD_ROUTE_REPLY,
  RECORD_ROUTE_REQUEST,
  ROUTER_PORT_UNREACHABLE,
  TIME_EXCEEDED,
  TTL_1_REQUEST,
} from "./testdata/captures.ts";

const icmpOf = (frame: Uint8Array) => unwrap(decodeIpv4(unwrap(decodeEthernet(frame)).payload)).payload;
const messageOf = (frame: Uint8Array): IcmpMessage => unwrap(decodeIcmp(icmpOf(frame)));

function narrow<K extends IcmpMessage["kind"]>(message: IcmpMessage, kind: K): IcmpMessage & { kind: K } {
  assert.equal(message.kind, kind);
  return message as IcmpMessage & { kind: K };
}

Deno.test("icmp: ping echo request and reply", () => {
  const request = narrow(messageOf(PING_REQUEST), "echo-request");
  assert.deepEqual(
    [
      request.type,
      request.code,
      request.identifier,
      request.sequence,
      request.checksum,
      request.checksumValid,
    ],
    [ICMP_ECHO_REQUEST, 0, 0x15fc, 1, 0xa198, true],
  );
  assert.deepEqual(request.data, hex("35c2066b00000000f93c0b0000000000"));
  const reply = narrow(messageOf(PING_REPLY), "echo-reply");
  assert.deepEqual(
    [reply.type, reply.identifier, reply.sequence, reply.checksum, reply.checksumValid],
    [ICMP_ECHO_REPLY, 0x15fc, 1, 0xa998, true],
  );
  assert.deepEqual(reply.data, request.data);
});

Deno.test("icmp: port unreachable quotes the original UDP datagram (ports for a UDP scan)", () => {
  const message = narrow(messageOf(PORT_UNREACHABLE), "destination-unreachable");
  assert.equal(message.type, ICMP_DESTINATION_UNREACHABLE);
  assert.equal(message.code, UNREACHABLE_PORT);
  assert.equal(message.checksumValid, true);
  assert.equal(message.nextHopMtu, 0);
  assert.equal(message.original.length, 35, "Linux quotes the whole small datagram");
  const quote = unwrap(decodeIcmpQuote(message.original));
  assert.equal(quote.ip.source, parseIpv4("10.99.0.1"));
  assert.equal(quote.ip.destination, parseIpv4("10.99.1.2"));
  assert.equal(quote.ip.ttl, 63, "quoted as B received it, after R's decrement");
  assert.equal(quote.ip.protocol, IP_PROTOCOL_UDP);
  assert.equal(quote.ip.checksumValid, true);
  assert.equal(quote.sourcePort, 40002);
  assert.equal(quote.destinationPort, 5999);
  const udp = unwrap(decodeUdp(quote.ip.payload, quote.ip));
  assert.equal(udp.checksumValid, true);
  assert.equal(new TextDecoder().decode(udp.payload), "anyone?");
});

Deno.test("icmp: the router's own port unreachable", () => {
  const message = narrow(messageOf(ROUTER_PORT_UNREACHABLE), "destination-unreachable");
  const quote = unwrap(decodeIcmpQuote(message.original));
  assert.deepEqual([quote.sourcePort, quote.destinationPort, quote.ip.ttl], [40001, 5001, 64]);
});

Deno.test("icmp: time exceeded in transit quotes the TTL-1 echo request", () => {
  const message = narrow(messageOf(TIME_EXCEEDED), "time-exceeded");
  assert.equal(message.type, ICMP_TIME_EXCEEDED);
  assert.equal(message.code, TIME_EXCEEDED_IN_TRANSIT);
  assert.equal(message.checksumValid, true);
  const quote = unwrap(decodeIcmpQuote(message.original));
  assert.equal(quote.ip.ttl, 1);
  assert.equal(quote.ip.protocol, IP_PROTOCOL_ICMP);
  assert.equal(quote.sourcePort, undefined);
  assert.deepEqual(quote.ip.payload, icmpOf(TTL_1_REQUEST));
  const echo = narrow(unwrap(decodeIcmp(quote.ip.payload)), "echo-request");
  assert.deepEqual([echo.identifier, echo.sequence, echo.checksumValid], [0x162a, 1, true]);
});

Deno.test("icmp: captured messages re-encode to the same bytes", () => {
  for (
    const frame of [
      PING_REQUEST,
      PING_REPLY,
      PORT_UNREACHABLE,
      ROUTER_PORT_UNREACHABLE,
      TTL_1_REQUEST,
      TIME_EXCEEDED,
      RECORD_ROUTE_REQUEST,
      RECORD_ROUTE_REPLY,
    ]
  ) {
    assert.deepEqual(encodeIcmp(messageOf(frame)), icmpOf(frame));
  }
});

Deno.test("icmp: the first fragment alone does not carry a valid ICMP checksum", () => {
  const message = unwrap(decodeIcmp(icmpOf(FIRST_FRAGMENT)));
  assert.equal(message.kind, "echo-request");
  assert.equal(message.checksumValid, false);
});

Deno.test("icmp: fragmentation needed carries the next-hop MTU", () => {
  const original = unwrap(decodeEthernet(FIRST_FRAGMENT)).payload.subarray(0, 28);
  const encoded = encodeIcmp({
    kind: "destination-unreachable",
    code: UNREACHABLE_FRAGMENTATION_NEEDED,
    nextHopMtu: 1400,
    original,
  });
  assert.deepEqual([...encoded.subarray(0, 2), ...encoded.subarray(4, 8)], [3, 4, 0, 0, 0x05, 0x78]);
  const message = narrow(unwrap(decodeIcmp(encoded)), "destination-unreachable");
  assert.equal(message.nextHopMtu, 1400);
  assert.equal(message.checksumValid, true);
  assert.deepEqual(message.original, original);
});

Deno.test("icmp: other types (timestamp request) keep their header word and body", () => {
  const encoded = encodeIcmp({
    kind: "other",
    type: 13,
    code: 0,
    rest: 0x12340001,
    body: new Uint8Array(12),
  });
  const message = narrow(unwrap(decodeIcmp(encoded)), "other");
  assert.deepEqual([message.type, message.rest, message.body.length, message.checksumValid], [
    13,
    0x12340001,
    12,
    true,
  ]);
  assert.deepEqual(encodeIcmp(message), encoded);
});

Deno.test("icmp: writeIcmp at an offset", () => {
  const request = narrow(messageOf(PING_REQUEST), "echo-request");
  const target = new Uint8Array(40);
  assert.equal(writeIcmp(request, target, 5), 24);
  assert.deepEqual(target.subarray(5, 29), icmpOf(PING_REQUEST));
  assert.throws(() => writeIcmp(request, target, 20), RangeError);
});

Deno.test("icmp: malformed messages and quotes are DecodeErrors with exact reasons", () => {
  const reason = (result: { ok: true } | { ok: false; error: Error }) =>
    result.ok ? "ok" : result.error.message;
  assert.equal(reason(decodeIcmp(new Uint8Array(7))), "icmp: 7 bytes captured, a header needs 8");
  const original = narrow(messageOf(PORT_UNREACHABLE), "destination-unreachable").original;
  assert.equal(
    reason(decodeIcmpQuote(original.subarray(0, 10))),
    "icmp quote: ipv4: 10 bytes captured, a header needs at least 20",
  );
  assert.equal(
    reason(decodeIcmpQuote(original.subarray(0, 22))),
    "icmp quote: 2 bytes of the original transport header, ports need 4",
  );
  assert.equal(reason(decodeIcmpQuote(original.subarray(0, 24))), "ok");
});

Deno.test("icmp: encoder rejects impossible values", () => {
  const data = new Uint8Array(0);
  assert.throws(
    () => encodeIcmp({ kind: "echo-request", identifier: 65536, sequence: 0, data }),
    /identifier/,
  );
  assert.throws(() => encodeIcmp({ kind: "echo-reply", identifier: 0, sequence: -1, data }), /sequence/);
  assert.throws(() => encodeIcmp({ kind: "time-exceeded", code: 256, original: data }), /code/);
  assert.throws(() => encodeIcmp({ kind: "other", type: 300, code: 0, rest: 0, body: data }), /type/);
  assert.throws(
    () => encodeIcmp({ kind: "echo-request", identifier: 0, sequence: 0, data: new Uint8Array(65528) }),
    /length/,
  );
});
