import { toHexString } from "../bytes.ts";
import { assert, assertEquals, assertStrictEquals, fail } from "../../testing/assert.ts";
import { type Decoded, DecodeError } from "../errors.ts";
import { decodeDhcp, type DhcpMessage, encodeDhcp } from "./message.ts";
import * as typed from "./typed.ts";
import { clientKey } from "./client_id.ts";
import { decodeEncapsulatedOptions } from "./vendor.ts";
import { decodeDomainSearch } from "./domain_search.ts";
import { decodeClasslessRoutes } from "./routes.ts";
import { decodeOptionValue, OPTION_KINDS } from "./kinds.ts";
import { ALL_MESSAGES } from "./testdata/captures.ts";
import { below, type Random, seededRandom } from "../../testing/random.ts";

// Mutation fuzzing of the DHCP decoder and every typed getter: any byte string must give a value or a
// DecodeError with a reason, never an exception, and a decoded message must re-encode to the same values.
// Mutants come from the captured messages with a seeded PRNG, so a failure reproduces.

const seeds = Object.values(ALL_MESSAGES);
const outcomes = { ok: 0, failed: 0, getterOk: 0, getterFailed: 0 };

const getters = Object.entries(typed).filter(([name]) => !name.startsWith("set")) as [
  string,
  (message: DhcpMessage) => Decoded<unknown> | undefined,
][];

function checkFailure(name: string, result: Decoded<unknown>): void {
  if (result.ok) return;
  assert(result.error instanceof DecodeError, `${name} failed without a DecodeError`);
  assert(result.error.layer.length > 0 && result.error.reason.trim().length > 0, `${name}: empty reason`);
  assertStrictEquals(result.error.message, `${result.error.layer}: ${result.error.reason}`);
}

function checkHeader(message: DhcpMessage, input: Uint8Array): void {
  for (const field of ["op", "htype", "hlen", "hops"] as const) assert(message[field] <= 0xff, field);
  for (const field of ["secs", "flags"] as const) assert(message[field] <= 0xffff, field);
  for (const field of ["xid", "ciaddr", "yiaddr", "siaddr", "giaddr"] as const) {
    assert(
      Number.isSafeInteger(message[field]) && message[field] >= 0 && message[field] <= 0xffff_ffff,
      field,
    );
  }
  assertStrictEquals(message.chaddr.length, message.hlen);
  assertStrictEquals(message.chaddr.buffer, input.buffer, "chaddr is a view of the input");
  for (const [code, value] of message.options) {
    assert(Number.isInteger(code) && code >= 1 && code <= 254, `option code ${code}`);
    assert(value instanceof Uint8Array && value.length <= input.length, `option ${code}`);
  }
}

function decodeEverything(input: Uint8Array): void {
  let result: Decoded<DhcpMessage>;
  try {
    result = decodeDhcp(input);
  } catch (error) {
    throw new Error(`decodeDhcp threw on ${toHexString(input)}: ${error}`, { cause: error });
  }
  if (!result.ok) {
    outcomes.failed++;
    checkFailure("dhcp", result);
    return;
  }
  outcomes.ok++;
  const message = result.value;
  checkHeader(message, input);
  try {
    for (const [name, getter] of getters) {
      const value = getter(message);
      if (value === undefined) continue;
      if (value.ok) outcomes.getterOk++;
      else outcomes.getterFailed++;
      checkFailure(name, value);
    }
    clientKey(message);
    for (const code of [43, 175]) {
      const data = message.options.get(code);
      if (data !== undefined) checkFailure("encapsulated", decodeEncapsulatedOptions(data));
    }
    // One operator kind per option (rotating with the code): all twelve per option would triple the run time.
    for (const [code, data] of message.options) {
      const kind = OPTION_KINDS[code % OPTION_KINDS.length];
      checkFailure(kind, decodeOptionValue(kind, data));
    }
  } catch (error) {
    throw new Error(`a getter threw on ${toHexString(input)}: ${error}`, { cause: error });
  }
  roundTrip(message, input);
}

/**
 * Whatever decoded re-encodes to a message with the same values: once with room for every option, once
 * within 576 bytes, where the options may overflow into empty sname and file fields (or not fit at all).
 */
function roundTrip(message: DhcpMessage, input: Uint8Array): void {
  for (const maxSize of [0xffff, 576]) {
    let bytes: Uint8Array;
    try {
      bytes = encodeDhcp(message, { maxSize });
    } catch (error) {
      // sname/file bytes that are not UTF-8 decode to U+FFFD, 3 bytes each: the text may no longer fit.
      if (error instanceof RangeError && /BOOTP (sname|file) holds at most/.test(error.message)) return;
      if (maxSize === 576 && error instanceof RangeError && /do not fit/.test(error.message)) continue;
      throw new Error(`encodeDhcp threw on what ${toHexString(input)} decoded to: ${error}`, {
        cause: error,
      });
    }
    if (bytes.length > maxSize - 28 && maxSize === 576) {
      fail(`${bytes.length} bytes for ${toHexString(input)}`);
    }
    const again = decodeDhcp(bytes);
    if (!again.ok) fail(`re-encoded message does not decode: ${toHexString(input)}`);
    const { options, ...header } = again.value;
    const { options: originalOptions, ...originalHeader } = message;
    assertEquals(header, originalHeader, "header round trip");
    let expected = 0;
    for (const [code, value] of originalOptions) {
      if (code === 52) continue;
      expected++;
      const other = options.get(code);
      if (other === undefined || !sameBytes(other, value)) {
        fail(`option ${code} differs after the round trip (max ${maxSize}) of ${toHexString(input)}`);
      }
    }
    if (options.size - (options.has(52) ? 1 : 0) !== expected) {
      fail(`option count differs after the round trip (max ${maxSize}) of ${toHexString(input)}`);
    }
    roundTrips[maxSize === 576 && options.has(52) ? "overloaded" : "plain"]++;
  }
}

const roundTrips = { plain: 0, overloaded: 0 };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Offsets of the length byte of each option in the options field (PAD and END skipped). */
function optionLengthOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let offset = 240; offset + 1 < bytes.length;) {
    const code = bytes[offset];
    if (code === 255) break;
    if (code === 0) {
      offset++;
      continue;
    }
    offsets.push(offset + 1);
    offset += 2 + bytes[offset + 1];
  }
  return offsets;
}

function withOptions(
  seed: Uint8Array,
  options: number[],
  file: number[] = [],
  sname: number[] = [],
): Uint8Array {
  const bytes = new Uint8Array(240 + options.length);
  bytes.set(seed.subarray(0, 240));
  bytes.fill(0, 44, 236);
  bytes.set(sname.slice(0, 64), 44);
  bytes.set(file.slice(0, 128), 108);
  bytes.set(options, 240);
  return bytes;
}

function randomBytes(random: Random, length: number): number[] {
  return Array.from({ length }, () => below(random, 256));
}

/**
 * Random option TLVs that fit `room`, biased towards option 52 (well-formed or not); now and then the
 * last one claims more bytes than are left, which must fail the whole message.
 */
function randomOptionList(random: Random, room: number): number[] {
  const out: number[] = [];
  for (;;) {
    let option: number[];
    const pick = random();
    if (pick < 0.15) option = [52, 1, below(random, 5)];
    else if (pick < 0.2) option = [52, below(random, 4), ...randomBytes(random, 2)];
    else if (pick < 0.25) option = [0];
    else if (pick < 0.27) option = [255];
    else {
      const length = below(random, 12);
      option = [[3, 12, 53, 61, 82, 119, 121, 43][below(random, 8)], length, ...randomBytes(random, length)];
    }
    if (out.length + option.length > room) break;
    out.push(...option);
  }
  if (random() < 0.1 && out.length + 2 <= room) out.push(12, room - out.length - 1);
  return out;
}

Deno.test("fuzz: truncation of every captured message at every length", () => {
  let count = 0;
  for (const seed of seeds) {
    for (let length = 0; length <= seed.length; length++, count++) decodeEverything(seed.subarray(0, length));
  }
  assert(count > 10_000, `${count} truncations`);
});

Deno.test("fuzz: magic cookie, hlen and every option length at its edges", () => {
  const random = seededRandom(7);
  let count = 0;
  for (const seed of seeds) {
    for (let i = 0; i < 4; i++) {
      const bad = seed.slice();
      bad[236 + i] ^= 1 << below(random, 8);
      decodeEverything(bad);
      count++;
    }
    for (const hlen of [0, 1, 6, 16, 17, 255]) {
      const bad = seed.slice();
      bad[2] = hlen;
      decodeEverything(bad);
      count++;
    }
    for (const at of optionLengthOffsets(seed)) {
      const remaining = seed.length - at - 1;
      for (const length of [0, 1, 2, 3, 4, 5, 255, remaining - 1, remaining, remaining + 1]) {
        if (length < 0 || length > 255) continue;
        const bad = seed.slice();
        bad[at] = length;
        decodeEverything(bad);
        decodeEverything(bad.subarray(0, below(random, bad.length + 1)));
        count += 2;
      }
    }
  }
  assert(count > 2_000, `${count} mutants`);
});

Deno.test("fuzz: option 52 pointing at fields that hold option 52, damaged lengths and random lists", () => {
  const random = seededRandom(52);
  const before = { ...outcomes };
  for (let i = 0; i < 8000; i++) {
    const seed = seeds[below(random, seeds.length)];
    const options = [52, 1, 1 + below(random, 3), ...randomOptionList(random, below(random, 60)), 255];
    decodeEverything(withOptions(seed, options, randomOptionList(random, 128), randomOptionList(random, 64)));
  }
  assert(outcomes.ok - before.ok > 500, `${outcomes.ok - before.ok} decoded`);
  assert(outcomes.failed - before.failed > 500, `${outcomes.failed - before.failed} failed`);
});

Deno.test("fuzz: random option maps round-trip through 576-byte messages, overloading file and sname", () => {
  const random = seededRandom(3396);
  const base = decodeDhcp(seeds[0]);
  assert(base.ok);
  for (let i = 0; i < 2000; i++) {
    const options = new Map<number, Uint8Array>();
    if (random() < 0.8) options.set(53, Uint8Array.of(1 + below(random, 8)));
    for (let count = below(random, 12); count > 0; count--) {
      const length = random() < 0.1 ? 256 + below(random, 300) : below(random, 120);
      options.set(1 + below(random, 254), Uint8Array.from(randomBytes(random, length)));
    }
    const message: DhcpMessage = {
      ...base.value,
      sname: random() < 0.2 ? "boot" : "",
      file: random() < 0.2 ? "pxelinux.0" : "",
      options,
    };
    roundTrip(message, new Uint8Array(0));
  }
});

Deno.test("fuzz: option 119 with compression-pointer loops and option 121 with bad widths", () => {
  const random = seededRandom(119);
  let failedSearch = 0;
  let failedRoutes = 0;
  for (let i = 0; i < 3000; i++) {
    const search: number[] = [];
    while (search.length < 1 + below(random, 40)) {
      const pick = random();
      if (pick < 0.3) search.push(0xc0 | below(random, 4), below(random, 48));
      else if (pick < 0.4) search.push(0);
      else if (pick < 0.45) search.push(0x40 | below(random, 64));
      else {
        const length = below(random, 8);
        search.push(length, ...Array.from({ length }, () => 0x61 + below(random, 26)));
      }
    }
    if (!decodeDomainSearch(Uint8Array.from(search)).ok) failedSearch++;
    const routes: number[] = [];
    while (routes.length < 1 + below(random, 30)) {
      const width = random() < 0.8 ? below(random, 33) : 33 + below(random, 223);
      routes.push(width, ...randomBytes(random, below(random, 9)));
    }
    if (!decodeClasslessRoutes(Uint8Array.from(routes)).ok) failedRoutes++;
    const seed = seeds[below(random, seeds.length)];
    decodeEverything(
      withOptions(seed, [53, 1, 5, 119, search.length, ...search, 121, routes.length, ...routes, 255]),
    );
  }
  assert(failedSearch > 100 && failedSearch < 3000, `${failedSearch} option 119 failures`);
  assert(failedRoutes > 100 && failedRoutes < 3000, `${failedRoutes} option 121 failures`);
});

Deno.test("fuzz: random bit flips, byte writes, insertions and deletions", () => {
  const random = seededRandom(2131);
  for (let i = 0; i < 15000; i++) {
    const mutant = seeds[below(random, seeds.length)].slice();
    const damage = below(random, 3);
    if (damage === 0) {
      for (let flips = 1 + below(random, 4); flips > 0; flips--) {
        mutant[240 + below(random, mutant.length - 240)] ^= 1 << below(random, 8);
      }
      decodeEverything(mutant);
    } else if (damage === 1) {
      for (let writes = 1 + below(random, 3); writes > 0; writes--) {
        mutant[below(random, mutant.length)] = below(random, 256);
      }
      decodeEverything(mutant.subarray(0, below(random, mutant.length + 1)));
    } else {
      const at = 236 + below(random, mutant.length - 235);
      const count = 1 + below(random, 4);
      const grown = new Uint8Array(mutant.length + count);
      grown.set(mutant.subarray(0, at));
      for (let k = 0; k < count; k++) grown[at + k] = below(random, 256);
      grown.set(mutant.subarray(at), at + count);
      decodeEverything(random() < 0.5 ? grown : mutant.subarray(0, at));
    }
  }
});

Deno.test("fuzz: both outcomes were exercised", () => {
  assert(outcomes.ok > 5_000, `${outcomes.ok} messages decoded`);
  assert(outcomes.failed > 5_000, `${outcomes.failed} DecodeErrors`);
  assert(outcomes.getterFailed > 1_000, `${outcomes.getterFailed} malformed options reported`);
  assert(roundTrips.overloaded > 100, `${roundTrips.overloaded} round trips through file/sname overload`);
  const env = Deno.permissions.querySync({ name: "env", variable: "FUZZ_STATS" });
  if (env.state === "granted" && Deno.env.get("FUZZ_STATS")) console.log(outcomes, roundTrips);
});
