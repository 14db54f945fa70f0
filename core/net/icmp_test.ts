import { assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
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
  assertStrictEquals(message.kind, kind);
  return message as IcmpMessage & { kind: K };
}

Deno.test("icmp: ping echo request and reply", () => {
  const request = narrow(messageOf(PING_REQUEST), "echo-request");
  assertEquals(
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
  assertEquals(request.data, hex("35c2066b00000000f93c0b0000000000"));
  const reply = narrow(messageOf(PING_REPLY), "echo-reply");
  assertEquals(
    [reply.type, reply.identifier, reply.sequence, reply.checksum, reply.checksumValid],
    [ICMP_ECHO_REPLY, 0x15fc, 1, 0xa998, true],
  );
  assertEquals(reply.data, request.data);
});

Deno.test("icmp: port unreachable quotes the original UDP datagram (ports for a UDP scan)", () => {
  const message = narrow(messageOf(PORT_UNREACHABLE), "destination-unreachable");
  assertStrictEquals(message.type, ICMP_DESTINATION_UNREACHABLE);
  assertStrictEquals(message.code, UNREACHABLE_PORT);
  assertStrictEquals(message.checksumValid, true);
  assertStrictEquals(message.nextHopMtu, 0);
  assertStrictEquals(message.original.length, 35, "Linux quotes the whole small datagram");
  const quote = unwrap(decodeIcmpQuote(message.original));
  assertStrictEquals(quote.ip.source, parseIpv4("10.99.0.1"));
  assertStrictEquals(quote.ip.destination, parseIpv4("10.99.1.2"));
  assertStrictEquals(quote.ip.ttl, 63, "quoted as B received it, after R's decrement");
  assertStrictEquals(quote.ip.protocol, IP_PROTOCOL_UDP);
  assertStrictEquals(quote.ip.checksumValid, true);
  assertStrictEquals(quote.sourcePort, 40002);
  assertStrictEquals(quote.destinationPort, 5999);
  const udp = unwrap(decodeUdp(quote.ip.payload, quote.ip));
  assertStrictEquals(udp.checksumValid, true);
  assertStrictEquals(new TextDecoder().decode(udp.payload), "anyone?");
});

Deno.test("icmp: the router's own port unreachable", () => {
  const message = narrow(messageOf(ROUTER_PORT_UNREACHABLE), "destination-unreachable");
  const quote = unwrap(decodeIcmpQuote(message.original));
  assertEquals([quote.sourcePort, quote.destinationPort, quote.ip.ttl], [40001, 5001, 64]);
});

Deno.test("icmp: time exceeded in transit quotes the TTL-1 echo request", () => {
  const message = narrow(messageOf(TIME_EXCEEDED), "time-exceeded");
  assertStrictEquals(message.type, ICMP_TIME_EXCEEDED);
  assertStrictEquals(message.code, TIME_EXCEEDED_IN_TRANSIT);
  assertStrictEquals(message.checksumValid, true);
  const quote = unwrap(decodeIcmpQuote(message.original));
  assertStrictEquals(quote.ip.ttl, 1);
  assertStrictEquals(quote.ip.protocol, IP_PROTOCOL_ICMP);
  assertStrictEquals(quote.sourcePort, undefined);
  assertEquals(quote.ip.payload, icmpOf(TTL_1_REQUEST));
  const echo = narrow(unwrap(decodeIcmp(quote.ip.payload)), "echo-request");
  assertEquals([echo.identifier, echo.sequence, echo.checksumValid], [0x162a, 1, true]);
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
    assertEquals(encodeIcmp(messageOf(frame)), icmpOf(frame));
  }
});

Deno.test("icmp: the first fragment alone does not carry a valid ICMP checksum", () => {
  const message = unwrap(decodeIcmp(icmpOf(FIRST_FRAGMENT)));
  assertStrictEquals(message.kind, "echo-request");
  assertStrictEquals(message.checksumValid, false);
});

Deno.test("icmp: fragmentation needed carries the next-hop MTU", () => {
  const original = unwrap(decodeEthernet(FIRST_FRAGMENT)).payload.subarray(0, 28);
  const encoded = encodeIcmp({
    kind: "destination-unreachable",
    code: UNREACHABLE_FRAGMENTATION_NEEDED,
    nextHopMtu: 1400,
    original,
  });
  assertEquals([...encoded.subarray(0, 2), ...encoded.subarray(4, 8)], [3, 4, 0, 0, 0x05, 0x78]);
  const message = narrow(unwrap(decodeIcmp(encoded)), "destination-unreachable");
  assertStrictEquals(message.nextHopMtu, 1400);
  assertStrictEquals(message.checksumValid, true);
  assertEquals(message.original, original);
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
  assertEquals([message.type, message.rest, message.body.length, message.checksumValid], [
    13,
    0x12340001,
    12,
    true,
  ]);
  assertEquals(encodeIcmp(message), encoded);
});

Deno.test("icmp: writeIcmp at an offset", () => {
  const request = narrow(messageOf(PING_REQUEST), "echo-request");
  const target = new Uint8Array(40);
  assertStrictEquals(writeIcmp(request, target, 5), 24);
  assertEquals(target.subarray(5, 29), icmpOf(PING_REQUEST));
  assertThrows(() => writeIcmp(request, target, 20), RangeError);
});

Deno.test("icmp: malformed messages and quotes are DecodeErrors with exact reasons", () => {
  const reason = (result: { ok: true } | { ok: false; error: Error }) =>
    result.ok ? "ok" : result.error.message;
  assertStrictEquals(reason(decodeIcmp(new Uint8Array(7))), "icmp: 7 bytes captured, a header needs 8");
  const original = narrow(messageOf(PORT_UNREACHABLE), "destination-unreachable").original;
  assertStrictEquals(
    reason(decodeIcmpQuote(original.subarray(0, 10))),
    "icmp quote: ipv4: 10 bytes captured, a header needs at least 20",
  );
  assertStrictEquals(
    reason(decodeIcmpQuote(original.subarray(0, 22))),
    "icmp quote: 2 bytes of the original transport header, ports need 4",
  );
  assertStrictEquals(reason(decodeIcmpQuote(original.subarray(0, 24))), "ok");
});

Deno.test("icmp: encoder rejects impossible values", () => {
  const data = new Uint8Array(0);
  assertThrows(
    () => encodeIcmp({ kind: "echo-request", identifier: 65536, sequence: 0, data }),
    /identifier/,
  );
  assertThrows(() => encodeIcmp({ kind: "echo-reply", identifier: 0, sequence: -1, data }), /sequence/);
  assertThrows(() => encodeIcmp({ kind: "time-exceeded", code: 256, original: data }), /code/);
  assertThrows(() => encodeIcmp({ kind: "other", type: 300, code: 0, rest: 0, body: data }), /type/);
  assertThrows(
    () => encodeIcmp({ kind: "echo-request", identifier: 0, sequence: 0, data: new Uint8Array(65528) }),
    /length/,
  );
});
