import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { parseIpv4 } from "./ipv4addr.ts";
import { unwrap } from "./errors.ts";
import { decodeTcp, encodeTcp, TCP_ACK, TCP_RST, TCP_SYN } from "./tcp.ts";
import { below, seededRandom } from "../testing/random.ts";
import { hex } from "./testdata/captures.ts";

// Captured with tcpdump --immediate-mode on a veth (offloads off) while socat connected from 10.99.0.1 to
// 10.99.0.2: port 80 listening (SYN, SYN-ACK), port 81 closed (RST-ACK). Linux 6.1, TCP payloads of the
// IPv4 packets only.
const A = parseIpv4("10.99.0.1"), B = parseIpv4("10.99.0.2");
const SYN = hex(
  "9c40 0050 b6d8 7092 0000 0000 a002 faf0 3fb2 0000 0204 05b4 0402 080a e458 503d 0000 0000 0103 030a",
);
const SYN_ACK = hex(
  "0050 9c40 21fd 8a71 b6d8 7093 a012 fe88 a55a 0000 0204 05b4 0402 080a be0f 2c30 e458 503d 0103 030a",
);
const RST_ACK = hex("0051 9c41 0000 0000 80ae 87a2 5014 0000 f624 0000");

Deno.test("tcp: the kernel's SYN, SYN-ACK and RST-ACK decode with valid checksums", () => {
  const syn = unwrap(decodeTcp(SYN, { source: A, destination: B }));
  assertEquals(
    [syn.sourcePort, syn.destinationPort, syn.sequence, syn.flags, syn.window, syn.checksumValid],
    [40000, 80, 3067637906, TCP_SYN, 64240, true],
  );
  assertEquals([...syn.options.subarray(0, 4)], [2, 4, 0x05, 0xb4]); // MSS 1460
  const synAck = unwrap(decodeTcp(SYN_ACK, { source: B, destination: A }));
  assertEquals(
    [synAck.flags, synAck.acknowledgment, synAck.checksumValid],
    [TCP_SYN | TCP_ACK, 3067637907, true],
  );
  const rst = unwrap(decodeTcp(RST_ACK, { source: B, destination: A }));
  assertEquals(
    [rst.sourcePort, rst.flags, rst.acknowledgment, rst.window, rst.checksumValid, rst.payload.length],
    [81, TCP_RST | TCP_ACK, 2158921634, 0, true, 0],
  );
  // The pseudo-header counts: the same bytes sent to another address do not check out.
  assertStrictEquals(
    unwrap(decodeTcp(RST_ACK, { source: B, destination: parseIpv4("10.99.0.3") })).checksumValid,
    false,
  );
});

Deno.test("tcp: encoding the captured SYN's fields gives its exact bytes", () => {
  const encoded = encodeTcp({
    sourcePort: 40000,
    destinationPort: 80,
    sequence: 3067637906,
    flags: TCP_SYN,
    window: 64240,
    options: SYN.subarray(20),
  }, { source: A, destination: B });
  assertEquals(encoded, SYN);
  const rst = encodeTcp(
    {
      sourcePort: 81,
      destinationPort: 40001,
      sequence: 0,
      acknowledgment: 2158921634,
      flags: TCP_RST | TCP_ACK,
      window: 0,
    },
    { source: B, destination: A },
  );
  assertEquals(rst, RST_ACK);
  // Options are padded to whole words.
  const padded = encodeTcp({
    sourcePort: 1,
    destinationPort: 2,
    sequence: 3,
    flags: TCP_SYN,
    window: 4,
    options: hex("020405b4 01"),
  }, {
    source: A,
    destination: B,
  });
  assertStrictEquals(padded.length, 28);
  assertStrictEquals(padded[12] >>> 4, 7);
  assert(unwrap(decodeTcp(padded, { source: A, destination: B })).checksumValid);
  assertThrows(
    () =>
      encodeTcp({ sourcePort: 70000, destinationPort: 1, sequence: 0, flags: 0, window: 0 }, {
        source: A,
        destination: B,
      }),
    /source port/,
  );
  assertThrows(
    () =>
      encodeTcp({
        sourcePort: 1,
        destinationPort: 1,
        sequence: 0,
        flags: 0,
        window: 0,
        options: new Uint8Array(41),
      }, { source: A, destination: B }),
    /40/,
  );
});

Deno.test("tcp: short input, bad data offsets and mutations are reported, never thrown", () => {
  const failure = (bytes: Uint8Array) => {
    const result = decodeTcp(bytes, { source: A, destination: B });
    assertStrictEquals(result.ok, false);
    return result.ok ? "" : result.error.message;
  };
  assertMatch(failure(SYN.subarray(0, 19)), /header needs 20/);
  const shortOffset = SYN.slice();
  shortOffset[12] = 0x40;
  assertMatch(failure(shortOffset), /shorter than the fixed header/);
  const longOffset = RST_ACK.slice();
  longOffset[12] = 0xf0;
  assertMatch(failure(longOffset), /exceeds the 20 captured/);
  const random = seededRandom(0x7c9);
  const sources = [SYN, SYN_ACK, RST_ACK];
  const addresses = (i: number) =>
    i % 3 === 0 ? { source: A, destination: B } : { source: B, destination: A };
  for (let i = 0; i < 5000; i++) {
    // One flipped bit always breaks the checksum, so every such mutant is refused or flagged.
    const mutant = sources[i % 3].slice();
    mutant[below(random, mutant.length)] ^= 1 << below(random, 8);
    const result = decodeTcp(mutant, addresses(i));
    assert(!result.ok || !result.value.checksumValid, `mutant ${i} passed as valid`);
  }
  for (let i = 0; i < 5000; i++) {
    // Truncated and many-bit mutants: any outcome but a throw.
    const source = sources[i % 3];
    const mutant = source.slice(0, below(random, source.length + 1));
    for (let flips = below(random, 8); flips > 0 && mutant.length > 0; flips--) {
      mutant[below(random, mutant.length)] = below(random, 256);
    }
    decodeTcp(mutant, addresses(i));
  }
});
