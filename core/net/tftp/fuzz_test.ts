import { toHexString } from "../bytes.ts";
import { assert, assertEquals, AssertionError, assertStrictEquals, fail } from "../../testing/assert.ts";
import { type Decoded, DecodeError } from "../errors.ts";
import { decodeTftp, encodeTftp, type TftpPacket } from "./packets.ts";
import { TFTP_DATA, TFTP_ERROR, TFTP_OACK, TFTP_RRQ, TFTP_WRQ } from "./codes.ts";
import { acceptOack, decodeOptionList, negotiate, type NegotiationLimits } from "./options.ts";
import { NetasciiDecoder } from "./netascii.ts";
import { ALL_VECTORS } from "./testdata/vectors.ts";
import { below, type Random, seededRandom } from "../../testing/random.ts";

// Mutation fuzzing of the TFTP decoder: any byte string must give a packet or a DecodeError with a reason,
// never an exception. A decoded packet must re-encode to bytes that decode to the same packet, and a
// decoded request must negotiate into an OACK that a strict client accepts. Mutants come from the RFC
// and curl vectors and from requests assembled out of awkward pieces, all with a seeded PRNG.

const seeds = Object.values(ALL_VECTORS);
const outcomes = { ok: 0, failed: 0, negotiated: 0 };
const encoder = new TextEncoder();

function checkFailure(what: string, result: Decoded<unknown>, input: Uint8Array): void {
  if (result.ok) return;
  assert(
    result.error instanceof DecodeError,
    `${what} failed without a DecodeError on ${toHexString(input)}`,
  );
  assertStrictEquals(result.error.layer, "tftp");
  assert(result.error.reason.trim().length > 0, `${what}: empty reason`);
  assertStrictEquals(result.error.message, `tftp: ${result.error.reason}`);
}

const LIMITS: NegotiationLimits[] = [
  {},
  { maxBlockSize: 1468, maxWindowSize: 16, fileSize: 0 },
  { maxBlockSize: 8, maxWindowSize: 65535, fileSize: Number.MAX_SAFE_INTEGER },
  { maxBlockSize: 65464, fileSize: 673312 },
];

function decodeEverything(input: Uint8Array): void {
  let result: Decoded<TftpPacket>;
  try {
    result = decodeTftp(input);
  } catch (error) {
    throw new Error(`decodeTftp threw on ${toHexString(input)}: ${error}`, { cause: error });
  }
  if (!result.ok) {
    outcomes.failed++;
    checkFailure("decodeTftp", result, input);
    return;
  }
  outcomes.ok++;
  const packet = result.value;
  assert(packet.op >= 1 && packet.op <= 6, `opcode ${packet.op}`);
  if ("block" in packet) {
    assert(Number.isInteger(packet.block) && packet.block >= 0 && packet.block <= 0xffff);
  }
  if (packet.op === TFTP_DATA) {
    assertStrictEquals(packet.data.buffer, input.buffer, "DATA is a view of the input");
  }
  if (packet.op === TFTP_ERROR) assert(packet.code >= 0 && packet.code <= 0xffff);
  if ("options" in packet) {
    for (const [name] of packet.options) {
      assert(name.length > 0 && !/[A-Z]/.test(name), `option name ${name}`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = encodeTftp(packet);
  } catch (error) {
    throw new Error(`encodeTftp threw on what ${toHexString(input)} decoded to: ${error}`, { cause: error });
  }
  const again = decodeTftp(bytes);
  if (!again.ok) fail(`re-encoded ${toHexString(input)} does not decode: ${again.error.message}`);
  assertEquals(again.value, packet, `round trip of ${toHexString(input)}`);
  if (packet.op === TFTP_RRQ || packet.op === TFTP_WRQ) checkNegotiation(packet, input);
  if (packet.op === TFTP_DATA) new NetasciiDecoder().decode(packet.data);
}

/** Whatever a server answers must satisfy a strict client, and survive the wire. */
function checkNegotiation(request: TftpPacket & { op: 1 | 2 }, input: Uint8Array): void {
  const limits = LIMITS[outcomes.ok % LIMITS.length];
  const server = negotiate(request, limits);
  if (server.oack.has("blksize")) {
    assert(server.blockSize >= 8 && server.blockSize <= (limits.maxBlockSize ?? 65464));
  } else {assertStrictEquals(
      server.blockSize,
      512,
      "without blksize, RFC 1350's 512 applies whatever the limit",
    );}
  assert(server.windowSize >= 1 && server.windowSize <= (limits.maxWindowSize ?? 1));
  const client = acceptOack(request, server.oack);
  if (!client.ok) fail(`client refuses the OACK for ${toHexString(input)}: ${client.error.message}`);
  assertEquals(client.value, server);
  if (server.oack.size === 0) return;
  outcomes.negotiated++;
  const oack = decodeTftp(encodeTftp({ op: TFTP_OACK, options: server.oack }));
  assert(oack.ok && oack.value.op === TFTP_OACK);
  assertEquals(oack.value.options, server.oack);
}

function randomBytes(random: Random, length: number): number[] {
  return Array.from({ length }, () => below(random, 256));
}

const pick = <T>(random: Random, items: readonly T[]): T => items[below(random, items.length)];

const NAMES = [
  "blksize",
  "BLKSIZE",
  "BlkSize",
  "timeout",
  "tsize",
  "TSIZE",
  "windowsize",
  "multicast",
  "utimeout",
  "x",
];
const VALUES = [
  "0",
  "1",
  "7",
  "8",
  "512",
  "1468",
  "65464",
  "65465",
  "255",
  "256",
  "65535",
  "65536",
  "99999999999999999999999999999",
  "9".repeat(400),
  "",
  "-1",
  "+8",
  " 512",
  "1e3",
  "0x200",
  "abc",
  "00000000000000000000512",
  "\u00ff",
];
const MODES = ["octet", "OCTET", "netascii", "NetAscii", "mail", "", "octe", "binary"];

function field(random: Random, text: string): number[] {
  return [...(random() < 0.1 ? randomBytes(random, below(random, 6)) : encoder.encode(text)), 0];
}

/** A request out of awkward pieces: odd names and values, duplicates, missing NULs, padding, junk. */
function assembledRequest(random: Random): Uint8Array {
  const out = [0, 1 + below(random, 2)];
  out.push(...field(random, random() < 0.1 ? "" : pick(random, ["boot/x.efi", "a", "ü/b", "\u00ff"])));
  out.push(...field(random, pick(random, MODES)));
  const count = below(random, 6);
  for (let i = 0; i < count; i++) {
    out.push(...field(random, pick(random, NAMES)));
    out.push(...field(random, pick(random, VALUES)));
  }
  const ending = random();
  if (ending < 0.1) out.pop(); // the last NUL goes missing
  else if (ending < 0.2) out.push(...field(random, pick(random, NAMES))); // a name without a value
  else if (ending < 0.3) out.push(...new Array(1 + below(random, 4)).fill(0)); // NUL padding
  else if (ending < 0.35) out.push(...randomBytes(random, below(random, 8)));
  return Uint8Array.from(out);
}

Deno.test("tftp fuzz: truncation of every vector at every length", () => {
  let count = 0;
  for (const seed of seeds) {
    for (let length = 0; length <= seed.length; length++, count++) decodeEverything(seed.subarray(0, length));
  }
  assert(count > 500, `${count} truncations`);
});

Deno.test("tftp fuzz: byte flips, insertions and deletions in the vectors", () => {
  const random = seededRandom(1350);
  for (let i = 0; i < 6000; i++) {
    const bytes = [...seeds[below(random, seeds.length)]];
    for (let edits = 1 + below(random, 3); edits > 0; edits--) {
      const at = below(random, bytes.length + 1);
      const kind = random();
      if (kind < 0.4) bytes[at] = below(random, 256);
      else if (kind < 0.6) bytes[at] = 0;
      else if (kind < 0.8) bytes.splice(at, 0, random() < 0.5 ? 0 : below(random, 256));
      else bytes.splice(at, 1);
    }
    decodeEverything(Uint8Array.from(bytes.map((byte) => byte ?? 0)));
  }
});

Deno.test("tftp fuzz: requests assembled from awkward options, modes and endings", () => {
  const random = seededRandom(2347);
  const before = { ...outcomes };
  for (let i = 0; i < 8000; i++) decodeEverything(assembledRequest(random));
  assert(outcomes.ok - before.ok > 1000, `${outcomes.ok - before.ok} decoded`);
  assert(outcomes.failed - before.failed > 1000, `${outcomes.failed - before.failed} failed`);
  assert(
    outcomes.negotiated - before.negotiated > 300,
    `${outcomes.negotiated - before.negotiated} OACKs`,
  );
});

Deno.test("tftp fuzz: random opcodes and tails, and option lists on their own", () => {
  const random = seededRandom(7440);
  for (let i = 0; i < 5000; i++) {
    const length = below(random, 40);
    const bytes = Uint8Array.from([0, below(random, 9), ...randomBytes(random, length)]);
    if (random() < 0.5) { for (let j = 2; j < bytes.length; j++) if (random() < 0.3) bytes[j] = 0; }
    decodeEverything(bytes);
    try {
      checkFailure("decodeOptionList", decodeOptionList(bytes, below(random, bytes.length + 2)), bytes);
    } catch (error) {
      if (error instanceof AssertionError) throw error;
      throw new Error(`decodeOptionList threw on ${toHexString(bytes)}: ${error}`, { cause: error });
    }
  }
  // The largest datagrams: a maximal DATA and a request with a very long option value.
  decodeEverything(Uint8Array.from([0, 3, 0, 1, ...new Array(65464).fill(0x41)]));
  decodeEverything(encoder.encode(`\0\x01f\0octet\0blksize\0${"9".repeat(60000)}\0`));
  const env = Deno.permissions.querySync({ name: "env", variable: "FUZZ_STATS" });
  if (env.state === "granted" && Deno.env.get("FUZZ_STATS")) console.log(outcomes);
});
