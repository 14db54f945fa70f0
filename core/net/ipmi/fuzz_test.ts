import { assert, assertStrictEquals, fail } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";
import { type Decoded, DecodeError } from "../errors.ts";
import { decodeBootFlags, decodeChannelAuthCapabilities, decodeChassisStatus } from "./commands.ts";
import { additionalKey, decryptAesCbc128, encryptAesCbc128 } from "./crypto.ts";
import { decodeIpmiRequest, decodeIpmiResponse } from "./message.ts";
import { decodeOpenSessionResponse, decodeRakp1, decodeRakp2, decodeRakp3, decodeRakp4 } from "./rakp.ts";
import { decodeSessionPacket } from "./session_header.ts";
import {
  PYGHMI_IPMIPOWER_STAT,
  PYGHMI_IPMITOOL_STATUS,
  SIM_IPMITOOL_STATUS,
  SIM_UNKNOWN_USER,
} from "./testdata/captures.ts";

// Mutation fuzzing of every IPMI decoder, seeded from the captures: truncation at every length, the
// length fields at their edges (0, 0xFF, 0xFFFF, one off), random bit flips and splices. Each decoder must
// return a value or a DecodeError, never throw, and a value must not reach past its input.

const SEEDS = [
  ...PYGHMI_IPMITOOL_STATUS,
  ...SIM_IPMITOOL_STATUS,
  ...PYGHMI_IPMIPOWER_STAT,
  ...SIM_UNKNOWN_USER,
]
  .map((datagram) => datagram.bytes);
const MUTANTS = 4000;

function* mutants(seed: number): Generator<Uint8Array> {
  const random = seededRandom(seed);
  for (const bytes of SEEDS) {
    for (let length = 0; length <= bytes.length; length++) yield bytes.subarray(0, length);
    // v1.5 message length (offset 13), v2.0 payload length (offsets 14-15, LE), trailer pad length.
    for (const offset of [13, 14, 15, bytes.length - 14, bytes.length - 18]) {
      for (const value of [0, 1, 0x7f, 0xfe, 0xff]) {
        if (offset < 0 || offset >= bytes.length) continue;
        const copy = bytes.slice();
        copy[offset] = value;
        yield copy;
      }
    }
  }
  for (let i = 0; i < MUTANTS; i++) {
    const copy = SEEDS[below(random, SEEDS.length)].slice();
    const flips = 1 + below(random, 4);
    for (let f = 0; f < flips; f++) copy[below(random, copy.length)] ^= 1 << below(random, 8);
    const cut = random() < 0.3 ? below(random, copy.length + 1) : copy.length;
    yield copy.subarray(0, cut);
  }
}

function check<T>(name: string, input: Uint8Array, decode: (bytes: Uint8Array) => Decoded<T>): T | undefined {
  let result: Decoded<T>;
  try {
    result = decode(input);
  } catch (error) {
    fail(`${name} threw on ${input.length} bytes: ${error}`);
  }
  if (!result.ok) {
    assert(result.error instanceof DecodeError, `${name} returned a non-DecodeError`);
    return undefined;
  }
  for (const [key, value] of Object.entries(result.value as object)) {
    if (typeof value === "number") assert(Number.isFinite(value), `${name}.${key} is ${value}`);
    if (value instanceof Uint8Array && value.length > 0) {
      assert(
        value.buffer === input.buffer || value.length <= input.length,
        `${name}.${key} reaches past input`,
      );
      if (value.buffer === input.buffer) {
        assert(value.byteOffset + value.length <= input.byteOffset + input.length, `${name}.${key} past end`);
      }
    }
  }
  return result.value;
}

Deno.test("ipmi fuzz: session, message, RAKP and command decoders never throw", () => {
  let decodedPackets = 0;
  let rejected = 0;
  for (const input of mutants(0x1b31)) {
    const packet = check("session", input, (bytes) => decodeSessionPacket(bytes, 12));
    if (!packet) {
      rejected++;
      continue;
    }
    decodedPackets++;
    const payload = packet.payload;
    check("request", payload, decodeIpmiRequest);
    check("response", payload, decodeIpmiResponse);
    check("open session response", payload, decodeOpenSessionResponse);
    check("rakp1", payload, decodeRakp1);
    check("rakp2", payload, (bytes) => decodeRakp2(bytes, 20));
    check("rakp3", payload, decodeRakp3);
    check("rakp4", payload, (bytes) => decodeRakp4(bytes, 12));
    check("channel auth caps", payload, decodeChannelAuthCapabilities);
    check("chassis status", payload, decodeChassisStatus);
    check("boot flags", payload, decodeBootFlags);
  }
  // Both outcomes must occur, or the mutants are not probing anything.
  assert(decodedPackets > 1000 && rejected > 1000, `decoded ${decodedPackets}, rejected ${rejected}`);
});

Deno.test("ipmi fuzz: AES-CBC-128 decryption of damaged payloads is a value or an error, never a throw", () => {
  const k2 = additionalKey(1, new Uint8Array(20).fill(7), 2);
  const random = seededRandom(0xae5);
  let failures = 0;
  for (let i = 0; i < 2000; i++) {
    const plain = crypto.getRandomValues(new Uint8Array(below(random, 40)));
    const sealed = encryptAesCbc128(k2, plain);
    const damaged = sealed.slice(0, random() < 0.2 ? below(random, sealed.length + 1) : sealed.length);
    if (damaged.length > 0) damaged[below(random, damaged.length)] ^= 1 << below(random, 8);
    const result = check("aes", damaged, (bytes) => decryptAesCbc128(k2, bytes));
    if (result === undefined) failures++;
  }
  assert(failures > 0, "no damaged payload was rejected");
  // And an undamaged one always decrypts to what went in.
  const plain = Uint8Array.of(1, 2, 3);
  const result = decryptAesCbc128(k2, encryptAesCbc128(k2, plain));
  assert(result.ok);
  assertStrictEquals(result.value.join(","), "1,2,3");
});
