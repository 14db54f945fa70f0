import { toHexString } from "./bytes.ts";
import { assert, assertEquals, assertStrictEquals, fail } from "../testing/assert.ts";
import { type Decoded, DecodeError, unwrap } from "./errors.ts";
import {
  decodeEthernet,
  encodeEthernet,
  ethernetHeaderLength,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  TPID_QINQ,
  TPID_VLAN,
} from "./ethernet.ts";
import { ARP_PACKET_LENGTH, decodeArp, encodeArp } from "./arp.ts";
import {
  decodeIpv4,
  decodeIpv4Options,
  decodeTruncatedIpv4,
  encodeIpv4,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_UDP,
} from "./ipv4.ts";
import { decodeUdp, encodeUdp, type UdpAddresses } from "./udp.ts";
import { decodeIcmp, decodeIcmpQuote, encodeIcmp } from "./icmp.ts";
import { ALL_FRAMES } from "./testdata/captures.ts";
import { below, type Random, seededRandom } from "../testing/random.ts";

// Mutation fuzzing: every decoder must turn any byte string into either a value or a DecodeError, never an
// exception, and a value must not contain garbage from reading past the input (NaN, undefined, views
// outside the input). Mutants come from the captured vectors with a seeded PRNG, so failures reproduce.

const MUTANTS_PER_CODEC = 3000;

/** A field whose value a decoder trusts at its peril: offset and width in bytes (or a nibble mask). */
interface Field {
  readonly offset: number;
  readonly size: 1 | 2;
  readonly mask?: number;
}

function withField(seed: Uint8Array, field: Field, value: number): Uint8Array {
  const copy = seed.slice();
  if (field.offset + field.size > copy.length) return copy;
  if (field.size === 2) {
    copy[field.offset] = value >>> 8;
    copy[field.offset + 1] = value;
  } else if (field.mask !== undefined) {
    const shift = Math.log2(field.mask & -field.mask);
    copy[field.offset] = (copy[field.offset] & ~field.mask) | ((value << shift) & field.mask);
  } else {
    copy[field.offset] = value;
  }
  return copy;
}

function readField(seed: Uint8Array, field: Field): number {
  if (field.size === 2) return (seed[field.offset] << 8) | seed[field.offset + 1];
  if (field.mask !== undefined) {
    return (seed[field.offset] & field.mask) >>> Math.log2(field.mask & -field.mask);
  }
  return seed[field.offset];
}

/** Truncation at every length, each length field at its edge values, then random damage up to `total`. */
function* mutants(
  seeds: readonly Uint8Array[],
  fields: readonly Field[],
  random: Random,
  total: number,
): Generator<Uint8Array> {
  let produced = 0;
  for (const seed of seeds) {
    for (let length = 0; length <= seed.length; length++, produced++) yield seed.subarray(0, length);
    for (const field of fields) {
      const max = field.size === 2
        ? 0xffff
        : field.mask !== undefined
        ? field.mask >>> Math.log2(field.mask & -field.mask)
        : 0xff;
      const original = readField(seed, field);
      const lengths = [seed.length, seed.length - field.offset, Math.floor(seed.length / 4)];
      const values = [
        0,
        1,
        max,
        max - 1,
        original - 1,
        original + 1,
        ...lengths.flatMap((n) => [n - 1, n, n + 1]),
      ];
      for (const value of values) {
        if (value < 0 || value > max) continue;
        const mutant = withField(seed, field, value);
        yield mutant;
        yield mutant.subarray(0, below(random, mutant.length + 1));
        produced += 2;
      }
    }
  }
  while (produced < total) {
    const seed = seeds[below(random, seeds.length)];
    const mutant = seed.slice();
    const damage = below(random, 3);
    if (damage === 0) {
      for (let flips = 1 + below(random, 4); flips > 0 && mutant.length > 0; flips--) {
        mutant[below(random, mutant.length)] ^= 1 << below(random, 8);
      }
      yield mutant;
    } else if (damage === 1) {
      for (let writes = 1 + below(random, 3); writes > 0 && mutant.length > 0; writes--) {
        mutant[below(random, mutant.length)] = below(random, 256);
      }
      yield mutant.subarray(0, below(random, mutant.length + 1));
    } else {
      // Insert or delete a few bytes, shifting every later field.
      const at = below(random, mutant.length + 1);
      const count = 1 + below(random, 4);
      if (random() < 0.5) {
        const grown = new Uint8Array(mutant.length + count);
        grown.set(mutant.subarray(0, at));
        for (let i = 0; i < count; i++) grown[at + i] = below(random, 256);
        grown.set(mutant.subarray(at), at + count);
        yield grown;
      } else {
        const kept = Math.min(at, mutant.length);
        const tail = mutant.subarray(Math.min(kept + count, mutant.length));
        const shrunk = new Uint8Array(kept + tail.length);
        shrunk.set(mutant.subarray(0, kept));
        shrunk.set(tail, kept);
        yield shrunk;
      }
    }
    produced++;
  }
}

/** Values may only hold unsigned integers, booleans, strings, views into the input, arrays and records. */
function assertSane(value: unknown, input: Uint8Array, path: string): void {
  if (typeof value === "number") {
    assert(Number.isSafeInteger(value) && value >= 0, `${path} = ${value}`);
  } else if (typeof value === "boolean" || typeof value === "string") {
    return;
  } else if (value instanceof Uint8Array) {
    assertStrictEquals(value.buffer, input.buffer, `${path} is not a view of the input`);
    assert(
      value.byteOffset >= input.byteOffset &&
        value.byteOffset + value.length <= input.byteOffset + input.length,
      `${path} lies outside the input`,
    );
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => assertSane(item, input, `${path}[${index}]`));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) assertSane(item, input, `${path}.${key}`);
  } else {
    fail(`${path} has unexpected ${typeof value}`);
  }
}

/** How often each decoder (by the name check() gives it) returned a value or a DecodeError in one test. */
type Outcomes = Map<string, { ok: number; failed: number }>;

function check<T>(
  outcomes: Outcomes,
  name: string,
  input: Uint8Array,
  decode: () => Decoded<T>,
): T | undefined {
  let result: Decoded<T>;
  try {
    result = decode();
  } catch (error) {
    throw new Error(`${name} threw on ${toHexString(input)}: ${error}`, { cause: error });
  }
  let counts = outcomes.get(name);
  if (counts === undefined) outcomes.set(name, counts = { ok: 0, failed: 0 });
  if (result.ok) {
    counts.ok++;
    assertSane(result.value, input, name);
    return result.value;
  }
  counts.failed++;
  const error = result.error;
  assert(error instanceof DecodeError, `${name} failed without a DecodeError`);
  assert(error.layer.length > 0 && error.reason.trim().length > 0, `${name}: empty layer or reason`);
  assertStrictEquals(error.message, `${error.layer}: ${error.reason}`);
  return undefined;
}

const SOME_ADDRESSES = { source: 0x0a630001, destination: 0x0a630102 };

/** Runs every decoder on the bytes as if they were each layer, and follows whatever decodes inward. */
function decodeEverything(outcomes: Outcomes, bytes: Uint8Array): void {
  const frame = check(outcomes, "ethernet", bytes, () => decodeEthernet(bytes));
  if (frame !== undefined) {
    const headerLength = ethernetHeaderLength(frame.vlanTags.length);
    assertStrictEquals(frame.payload.byteOffset, bytes.byteOffset + headerLength);
    assertStrictEquals(headerLength + frame.payload.length, bytes.length);
    assertEquals(encodeEthernet(frame), bytes, "ethernet round trip");
  }
  decodeArpLayer(outcomes, bytes, bytes);
  decodeUdpLayer(outcomes, bytes, SOME_ADDRESSES, bytes);
  decodeOptionsLayer(outcomes, bytes, bytes);
  decodeIpv4Layers(outcomes, bytes, bytes);
  decodeIcmpLayers(outcomes, bytes, bytes);
  if (frame?.etherType === ETHERTYPE_ARP) decodeArpLayer(outcomes, frame.payload, bytes);
  if (frame?.etherType === ETHERTYPE_IPV4) decodeIpv4Layers(outcomes, frame.payload, bytes);
}

// Each layer below also checks that whatever decoded respects the bytes present (no length field was
// trusted) and, where the format keeps every bit, that it re-encodes to the same bytes.

function decodeArpLayer(outcomes: Outcomes, bytes: Uint8Array, input: Uint8Array): void {
  const packet = check(outcomes, "arp", input, () => decodeArp(bytes));
  if (packet !== undefined) assertEquals(encodeArp(packet), bytes.subarray(0, ARP_PACKET_LENGTH));
}

function decodeOptionsLayer(outcomes: Outcomes, bytes: Uint8Array, input: Uint8Array): void {
  const options = check(outcomes, "ipv4 options", input, () => decodeIpv4Options(bytes));
  for (const option of options ?? []) {
    const lengthAt = option.data.byteOffset - bytes.byteOffset - 1;
    assertStrictEquals(bytes[lengthAt], option.data.length + 2, "option data shorter than its length byte");
  }
}

function decodeUdpLayer(outcomes: Outcomes, bytes: Uint8Array, ip: UdpAddresses, input: Uint8Array): void {
  const datagram = check(outcomes, "udp", input, () => decodeUdp(bytes, ip));
  if (datagram === undefined) return;
  assert(datagram.length >= 8 && datagram.length <= bytes.length);
  assertStrictEquals(datagram.payload.length, datagram.length - 8);
  if (datagram.hasChecksum && datagram.checksumValid) {
    assertEquals(encodeUdp(datagram, ip), bytes.subarray(0, datagram.length), "udp round trip");
  }
}

function decodeIpv4Layers(outcomes: Outcomes, bytes: Uint8Array, input: Uint8Array): void {
  const truncated = check(outcomes, "truncated ipv4", input, () => decodeTruncatedIpv4(bytes));
  if (truncated !== undefined) {
    assert(truncated.headerLength >= 20 && truncated.headerLength <= bytes.length);
    assertStrictEquals(truncated.options.length, truncated.headerLength - 20);
    const end = Math.min(truncated.totalLength, bytes.length);
    assertStrictEquals(truncated.payload.length, end - truncated.headerLength);
    decodeOptionsLayer(outcomes, truncated.options, input);
  }
  const packet = check(outcomes, "ipv4", input, () => decodeIpv4(bytes));
  if (packet === undefined) return;
  assert(packet.headerLength >= 20 && packet.headerLength <= packet.totalLength);
  assert(packet.totalLength <= bytes.length);
  assertStrictEquals(packet.payload.length, packet.totalLength - packet.headerLength);
  if (packet.checksumValid) {
    assertEquals(encodeIpv4(packet), bytes.subarray(0, packet.totalLength), "ipv4 round trip");
  }
  if (packet.protocol === IP_PROTOCOL_UDP) decodeUdpLayer(outcomes, packet.payload, packet, input);
  if (packet.protocol === IP_PROTOCOL_ICMP) decodeIcmpLayers(outcomes, packet.payload, input);
}

function decodeIcmpLayers(outcomes: Outcomes, bytes: Uint8Array, input: Uint8Array): void {
  const message = check(outcomes, "icmp", input, () => decodeIcmp(bytes));
  check(outcomes, "icmp quote", input, () => decodeIcmpQuote(bytes));
  if (message === undefined) return;
  assert(bytes.length >= 8);
  // Unreachable and time exceeded drop bytes 4-7 (unused, or RFC 4884 lengths): no exact round trip.
  if (message.checksumValid && !("original" in message)) {
    assertEquals(encodeIcmp(message), bytes, "icmp round trip");
  }
  if (!("original" in message)) return;
  const quote = check(outcomes, "icmp quote in icmp", input, () => decodeIcmpQuote(message.original));
  if (quote?.sourcePort !== undefined) assert(quote.ip.payload.length >= 4, "ports read past the quote");
  if (quote?.ip.protocol === IP_PROTOCOL_UDP) decodeUdpLayer(outcomes, quote.ip.payload, quote.ip, input);
  if (quote?.ip.protocol === IP_PROTOCOL_ICMP) {
    check(outcomes, "quoted icmp", input, () => decodeIcmp(quote.ip.payload));
  }
}

/**
 * Decodes the mutants of `seeds` (plus `extra` inputs) and returns what every decoder made of them. Each
 * test then checks its own codec's outcomes, so it stands alone (under --filter too).
 */
function fuzz(
  codec: string,
  seeds: readonly Uint8Array[],
  fields: readonly Field[],
  seed: number,
  extra: readonly Uint8Array[] = [],
): Outcomes {
  const outcomes: Outcomes = new Map();
  for (const input of extra) decodeEverything(outcomes, input);
  let count = 0;
  for (const mutant of mutants(seeds, fields, seededRandom(seed), MUTANTS_PER_CODEC)) {
    decodeEverything(outcomes, mutant);
    count++;
  }
  assert(count >= MUTANTS_PER_CODEC, `${codec}: only ${count} mutants`);
  if (Deno.env.get("FUZZ_STATS")) console.log(codec, { mutants: count + extra.length, outcomes });
  return outcomes;
}

// The valid inputs of each layer, cut out of the captured frames.
const frames = Object.values(ALL_FRAMES);
const ethernetPayloads = frames.map((frame) => unwrap(decodeEthernet(frame)));
const arpPackets = ethernetPayloads.filter((frame) => frame.etherType === ETHERTYPE_ARP).map((frame) =>
  frame.payload
);
const ipv4Packets = ethernetPayloads.filter((frame) => frame.etherType === ETHERTYPE_IPV4).map((frame) =>
  unwrap(decodeIpv4(frame.payload))
);
const ipv4Bytes = ethernetPayloads.filter((frame) => frame.etherType === ETHERTYPE_IPV4).map((frame) =>
  frame.payload
);
const udpDatagrams = ipv4Packets.filter((packet) =>
  packet.protocol === IP_PROTOCOL_UDP && packet.fragmentOffset === 0
)
  .map((packet) => packet.payload);
const icmpMessages = ipv4Packets.filter((packet) =>
  packet.protocol === IP_PROTOCOL_ICMP && packet.fragmentOffset === 0
)
  .map((packet) => packet.payload);
const icmpOriginals = icmpMessages.map((bytes) => unwrap(decodeIcmp(bytes))).flatMap((message) =>
  "original" in message ? [message.original] : []
);

const ETHERNET_FIELDS: Field[] = [12, 14, 16, 18, 20].map((offset) => ({ offset, size: 2 }));
const IPV4_FIELDS: Field[] = [
  { offset: 0, size: 1, mask: 0x0f }, // IHL: every value from 0 to 15
  { offset: 0, size: 1, mask: 0xf0 }, // version
  { offset: 2, size: 2 }, // total length
  { offset: 6, size: 2 }, // flags and fragment offset
  { offset: 21, size: 1 }, // first option's length (Record Route captures)
  { offset: 22, size: 1 }, // Record Route pointer
];
const UDP_FIELDS: Field[] = [{ offset: 4, size: 2 }, { offset: 6, size: 2 }];
const ICMP_FIELDS: Field[] = [
  { offset: 0, size: 1 }, // type
  { offset: 1, size: 1 }, // code
  { offset: 8, size: 1, mask: 0x0f }, // quoted IHL
  { offset: 10, size: 2 }, // quoted total length
  { offset: 17, size: 1 }, // quoted protocol
  { offset: 32, size: 2 }, // quoted UDP length
];
const ARP_FIELDS: Field[] = [
  { offset: 0, size: 2 },
  { offset: 2, size: 2 },
  { offset: 4, size: 1 },
  { offset: 5, size: 1 },
  { offset: 6, size: 2 },
];

/** Frames whose tag chain is rewritten at random: TPIDs in any order, cut anywhere, ending in any type. */
function garbledVlanFrames(random: Random, count: number): Uint8Array[] {
  const types = [TPID_VLAN, TPID_QINQ, ETHERTYPE_IPV4, ETHERTYPE_ARP, 0x05dc, 0x0600, 0x9100, 0];
  const result: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const base = frames[below(random, frames.length)];
    const tags = below(random, 6);
    const frame = new Uint8Array(14 + 4 * tags + below(random, 40));
    frame.set(base.subarray(0, Math.min(base.length, frame.length)));
    for (let tag = 0; tag <= tags; tag++) {
      const type = tag < tags && random() < 0.8
        ? [TPID_VLAN, TPID_QINQ][below(random, 2)]
        : types[below(random, types.length)];
      const offset = 12 + 4 * tag;
      frame[offset] = type >>> 8;
      frame[offset + 1] = type;
      if (offset + 3 < frame.length) {
        frame[offset + 2] = below(random, 256);
        frame[offset + 3] = below(random, 256);
      }
    }
    result.push(frame.subarray(0, 12 + below(random, frame.length - 11)));
  }
  return result;
}

/**
 * Guards against a fuzzer that only ever produces garbage (or only valid input) for the layers a test
 * targets: each of them must have returned values and DecodeErrors, at least 5% of the mutants each.
 */
function assertBothOutcomes(outcomes: Outcomes, ...layers: string[]): void {
  const minimum = MUTANTS_PER_CODEC / 20;
  for (const layer of layers) {
    const { ok, failed } = outcomes.get(layer) ?? { ok: 0, failed: 0 };
    assert(
      ok >= minimum && failed >= minimum,
      `${layer}: ${ok} values and ${failed} DecodeErrors, expected at least ${minimum} of each`,
    );
  }
}

Deno.test("fuzz: ethernet frames with garbled VLAN chains and damaged headers", () => {
  const garbled = garbledVlanFrames(seededRandom(1), MUTANTS_PER_CODEC);
  assertBothOutcomes(fuzz("ethernet", frames, ETHERNET_FIELDS, 101, garbled), "ethernet");
});

Deno.test("fuzz: arp packets", () => {
  assertBothOutcomes(fuzz("arp", arpPackets, ARP_FIELDS, 202), "arp");
});

Deno.test("fuzz: ipv4 packets, IHL 0-15, lengths at their edges, options", () => {
  assertBothOutcomes(fuzz("ipv4", ipv4Bytes, IPV4_FIELDS, 303), "ipv4", "truncated ipv4", "ipv4 options");
});

Deno.test("fuzz: udp datagrams", () => {
  assertBothOutcomes(fuzz("udp", udpDatagrams, UDP_FIELDS, 404), "udp");
});

Deno.test("fuzz: icmp messages and the datagrams they quote", () => {
  const outcomes = fuzz("icmp", [...icmpMessages, ...icmpOriginals], ICMP_FIELDS, 505);
  assertBothOutcomes(outcomes, "icmp", "icmp quote");
});
