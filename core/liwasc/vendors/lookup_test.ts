import { createHash } from "node:crypto";
import { AddressSyntaxError } from "../../net/errors.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../../testing/assert.ts";
import { generateVendorTable } from "./generate.ts";
import { type Vendor, vendorOf, vendorStats } from "./lookup.ts";
import { availableRegistries, DEFAULT_LOCATIONS, type RegistryLocations } from "./sources/registries.ts";

function assertNamed(
  vendor: Vendor,
  name: RegExp,
  prefix: string,
  kind: Vendor["kind"] = "registered",
): void {
  assertEquals(vendor.kind, kind);
  assertEquals(vendor.prefix, prefix);
  assertMatch(vendor.name ?? "", name);
}

Deno.test("vendors: well-known 24-bit blocks", () => {
  assertNamed(vendorOf("00:00:0c:12:34:56"), /Cisco/, "00:00:0C");
  assertNamed(vendorOf("00:03:93:00:00:01"), /Apple/, "00:03:93");
  assertNamed(vendorOf("F0:18:98:AB:CD:EF"), /Apple/, "F0:18:98");
  assertNamed(vendorOf("00:1b:21:00:00:01"), /Intel/, "00:1B:21");
});

Deno.test("vendors: 28-bit (MA-M) and 36-bit (MA-S, IAB) blocks", () => {
  assertNamed(vendorOf("00:55:DA:1F:FF:FF"), /KoolPOS/, "00:55:DA:10/28");
  assertNamed(vendorOf("00:55:DA:00:00:00"), /Shinko/, "00:55:DA:00/28");
  assertNamed(vendorOf("00:50:C2:00:0A:BC"), /T\.L\.S\./, "00:50:C2:00:00/36");
  assertNamed(vendorOf("70:b3:d5:1a:b0:01"), /Access Control Systems/, "70:B3:D5:1A:B0/36");
});

Deno.test("vendors: the longest registered block wins, the enclosing one answers between them", () => {
  // 8C:1F:64 is itself registered (to the IEEE RA, which sells it on in /36 blocks).
  assertNamed(vendorOf("8C:1F:64:00:30:00"), /Brighten Controls/, "8C:1F:64:00:30/36");
  assertNamed(vendorOf("8C:1F:64:00:3F:FF"), /Brighten Controls/, "8C:1F:64:00:30/36");
  assertNamed(vendorOf("8C:1F:64:00:00:00"), /Suzhou Xingxiangyi/, "8C:1F:64:00:00/36");
  assertNamed(vendorOf("8C:1F:64:00:10:00"), /IEEE Registration Authority/, "8C:1F:64");
  assertNamed(vendorOf("8C:1F:64:00:2F:FF"), /IEEE Registration Authority/, "8C:1F:64");
});

Deno.test("vendors: every notation and the bytes give the same answer", () => {
  const expected = vendorOf("00:00:0c:12:34:56");
  for (
    const mac of [
      "00:00:0C:12:34:56",
      "00-00-0c-12-34-56",
      "00-00-0C-12-34-56",
      "0000.0c12.3456",
      "0000.0C12.3456",
      new Uint8Array([0x00, 0x00, 0x0c, 0x12, 0x34, 0x56]),
    ]
  ) {
    assertEquals(vendorOf(mac), expected, String(mac));
  }
});

Deno.test("vendors: broadcast, multicast and locally administered addresses are labelled", () => {
  assertEquals(vendorOf("ff:ff:ff:ff:ff:ff"), { kind: "broadcast" });
  // Group addresses are named after the OUI they derive from.
  assertNamed(vendorOf("01:00:5e:00:00:fb"), /IANA/, "00:00:5E", "multicast");
  assertNamed(vendorOf("01:80:C2:00:00:0E"), /IEEE/, "00:80:C2", "multicast");
  assertNamed(vendorOf("01:00:0C:CC:CC:CC"), /Cisco/, "00:00:0C", "multicast");
  assertEquals(vendorOf("33:33:00:00:00:01"), { kind: "multicast" });
  assertEquals(vendorOf("03:00:00:00:00:01"), { kind: "multicast" });
  for (const mac of ["02:00:00:00:00:01", "02:42:ac:11:00:02", "52:54:00:12:34:56", "da:a1:19:5e:77:01"]) {
    assertEquals(vendorOf(mac), { kind: "locally-administered" }, mac);
  }
});

Deno.test("vendors: a universally administered unicast address outside every block is unregistered", () => {
  // Searched rather than hard-coded: any particular free OUI may be assigned by the next registry update.
  let free: string | undefined;
  for (let oui = 0; oui < 0x1000000 && !free; oui += 4) {
    const mac = `${oui.toString(16).padStart(6, "0")}000000`.replace(/(..)(?!$)/g, "$1:");
    if (vendorOf(mac).kind === "unregistered") free = mac;
  }
  assert(free, "no unassigned OUI found");
  assertEquals(vendorOf(free), { kind: "unregistered" });
});

Deno.test("vendors: malformed input throws an AddressSyntaxError naming it", () => {
  for (
    const bad of [
      "",
      "00:00:0c:12:34",
      "00:00:0c:12:34:56:78",
      "00:00-0c:12:34:56",
      "0:00:0c:12:34:56",
      "000:00:0c:12:34:56",
      "gg:00:0c:12:34:56",
      " 00:00:0c:12:34:56",
      "00:00:0c:12:34:56\n",
      "00000c123456",
      "0000.0c12.345",
      "0000:0c12:3456",
      "0000.0c12-3456",
      "+0:00:0c:12:34:56",
      "x".repeat(10_000),
    ]
  ) {
    const error = assertThrows(() => vendorOf(bad), AddressSyntaxError);
    assertMatch(error.message, /invalid MAC address/);
    assert(error.message.length < 300, `message for a ${bad.length}-character input is short`);
  }
  for (const length of [0, 5, 7, 64]) {
    const error = assertThrows(() => vendorOf(new Uint8Array(length)), AddressSyntaxError);
    assertMatch(error.message, new RegExp(`${length} bytes`));
  }
  assertThrows(() => vendorOf(42 as unknown as string), AddressSyntaxError);
});

/** mulberry32: a seeded generator, so a failing case can be replayed from the seed in the message. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = new Set(["registered", "locally-administered", "multicast", "broadcast", "unregistered"]);
const ALPHABET = "0123456789abcdefABCDEFgG:-. \n\u00e9";

Deno.test("vendors: 5000 random and mutated inputs give an answer or an AddressSyntaxError", () => {
  // Fixed, so a failure is reproducible; change it to explore.
  const seed = 0x5eed_0c7f;
  const next = random(seed);
  const pick = <T>(items: ArrayLike<T>): T => items[Math.floor(next() * items.length)];
  const valid = ["00:00:0c:12:34:56", "70-B3-D5-1A-B0-01", "8c1f.6400.3000", "01:00:5e:00:00:fb"];
  const inputs = (): string | Uint8Array => {
    switch (Math.floor(next() * 3)) {
      case 0: {
        const length = next() < 0.7 ? 6 : Math.floor(next() * 9);
        return Uint8Array.from({ length }, () => Math.floor(next() * 256));
      }
      case 1: {
        const characters = [...pick(valid)];
        for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
          const at = Math.floor(next() * (characters.length + 1));
          const edit = Math.floor(next() * 3);
          if (edit === 0) characters.splice(at, 1);
          else if (edit === 1) characters.splice(at, 0, pick(ALPHABET));
          else characters[at] = pick(ALPHABET);
        }
        return characters.join("");
      }
      default:
        return Array.from({ length: Math.floor(next() * 20) }, () => pick(ALPHABET)).join("");
    }
  };
  let answered = 0;
  for (let i = 0; i < 5000; i++) {
    const input = inputs();
    const where = `seed ${seed}, case ${i}, input ${JSON.stringify(String(input))}`;
    let vendor: Vendor;
    try {
      vendor = vendorOf(input);
    } catch (error) {
      assert(error instanceof AddressSyntaxError, `${where}: threw ${error}`);
      continue;
    }
    answered++;
    assert(KINDS.has(vendor.kind), `${where}: kind ${vendor.kind}`);
    assertEquals(vendor.name === undefined, vendor.prefix === undefined, `${where}: name without prefix`);
    if (typeof input === "string") {
      assertMatch(
        input,
        /^([0-9a-f]{2}([:-])[0-9a-f]{2}(\2[0-9a-f]{2}){4}|[0-9a-f]{4}(\.[0-9a-f]{4}){2})$/i,
        where,
      );
    }
  }
  assert(answered > 500, `only ${answered} of 5000 inputs were valid MACs; the fuzzer lost its aim`);
});

Deno.test("vendors: stats count the blocks and name the source", () => {
  const stats = vendorStats();
  assert(stats.entries[24] > 30_000, `${stats.entries[24]} /24 blocks`);
  assert(stats.entries[28] > 1_000, `${stats.entries[28]} /28 blocks`);
  assert(stats.entries[36] > 1_000, `${stats.entries[36]} /36 blocks`);
  assert(stats.names > 10_000 && stats.names < stats.entries[24] + stats.entries[28] + stats.entries[36]);
  assert(stats.source.files.length > 0);
  for (const file of stats.source.files) assertMatch(file.sha256, /^[0-9a-f]{64}$/);
});

// Compared only against the very source files it was made from: another machine may have none, or a
// newer Debian version (then regenerating is a deliberate change, not a CI failure). The generator
// prefers ieee-data when it is installed (another package may bring it in), so a table made from
// Wireshark's manuf is regenerated from manuf alone.
const recorded = committedSource();
const recordedLocations: RegistryLocations = committedSourceKind() === "wireshark-manuf"
  ? { ...DEFAULT_LOCATIONS, ieeeDataDir: "/nonexistent/ieee-data" }
  : DEFAULT_LOCATIONS;
const registries = availableRegistries(recordedLocations);
const sameSources = registries !== undefined && recorded.every((file) => sha256Of(file.file) === file.sha256);

Deno.test({
  name: sameSources
    ? `vendors: vendors.gen.json is what scripts/gen_vendors.ts makes from ${registries!.file}`
    : "vendors: vendors.gen.json is current (ignored: the registry files it was made from are not installed)",
  ignore: !sameSources,
  async fn() {
    const generated = await generateVendorTable(recordedLocations);
    const committed = await Deno.readTextFile(new URL("./vendors.gen.json", import.meta.url));
    assert(generated, "the source disappeared during the test");
    assert(committed === generated.text, "vendors.gen.json is stale: run scripts/gen_vendors.ts");
  },
});

function committedSourceKind(): string {
  return JSON.parse(Deno.readTextFileSync(new URL("./vendors.gen.json", import.meta.url))).source.kind;
}

function committedSource(): { file: string; sha256: string }[] {
  return JSON.parse(Deno.readTextFileSync(new URL("./vendors.gen.json", import.meta.url))).source.files;
}

function sha256Of(path: string): string | undefined {
  try {
    return createHash("sha256").update(Deno.readFileSync(path)).digest("hex");
  } catch {
    return undefined;
  }
}
