import { assert, assertEquals, assertMatch, assertThrows } from "../../testing/assert.ts";
import { seededRandom } from "../../testing/random.ts";
import { formatPortSet, parsePortSet, PortSetError } from "./port_set.ts";

const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

function assertSortedUniquePorts(ports: number[], label: string): void {
  assert(
    ports.every((port, i) =>
      Number.isInteger(port) && port >= 1 && port <= 65535 && (i === 0 || port > ports[i - 1])
    ),
    `${label}: not sorted, unique ports`,
  );
}

Deno.test("port set: single ports, lists, ranges and all", () => {
  assertEquals(parsePortSet("22"), [22]);
  assertEquals(parsePortSet("22,80,443"), [22, 80, 443]);
  assertEquals(parsePortSet("443,22,80,22"), [22, 80, 443]);
  assertEquals(parsePortSet("1-1024"), range(1, 1024));
  assertEquals(parsePortSet("1-1024,8080,8443"), [...range(1, 1024), 8080, 8443]);
  assertEquals(parsePortSet("1-10,5-15,7"), range(1, 15));
  assertEquals(parsePortSet("80-80"), [80]);
  assertEquals(parsePortSet("all"), range(1, 65535));
  assertEquals(parsePortSet("ALL,22"), range(1, 65535));
  assertEquals(parsePortSet(" 22 , 80 "), [22, 80]);
  assertEquals(parsePortSet("0022"), [22]);
});

Deno.test("port set: open ranges run from 1 or to 65535", () => {
  assertEquals(parsePortSet("-3"), [1, 2, 3]);
  assertEquals(parsePortSet("65533-"), [65533, 65534, 65535]);
  assertEquals(parsePortSet("-3,65535-"), [1, 2, 3, 65535]);
});

Deno.test("port set: top:N has exactly N unique ports, ranked per protocol", () => {
  for (const protocol of ["tcp", "udp"] as const) {
    for (const count of [1, 10, 100, 1000, 5000, 20000, 65535]) {
      const ports = parsePortSet(`top:${count}`, protocol);
      assertEquals(ports.length, count, `${protocol} top:${count}`);
      assertSortedUniquePorts(ports, `${protocol} top:${count}`);
    }
  }
  assertEquals(parsePortSet("top:1"), [80]);
  assertEquals(parsePortSet("top:1", "udp"), [53]);
  assertEquals(parsePortSet("top:3", "tcp"), [22, 80, 443]);
  for (const port of [22, 80, 443, 445, 3389, 3306, 8080]) {
    assert(parsePortSet("top:100").includes(port), `${port}`);
  }
  for (const port of [53, 123, 161, 67, 500]) assert(parsePortSet("top:20", "udp").includes(port), `${port}`);
  assert(parsePortSet("top:100", "tcp").join() !== parsePortSet("top:100", "udp").join());
  assertEquals(parsePortSet("top:65535", "udp"), range(1, 65535));
  assertEquals(parsePortSet("TOP:1,22"), [22, 80]);
});

Deno.test("port set: every malformed entry is a PortSetError naming it", () => {
  const cases: [spec: string, token: string, message: RegExp][] = [
    ["", "", /empty port set/],
    ["   ", "", /empty port set/],
    ["0", "0", /"0" is outside 1-65535/],
    ["65536", "65536", /"65536" is outside/],
    ["99999999999999999999999", "99999999999999999999999", /is outside/],
    ["0-10", "0-10", /"0-10" is outside/],
    ["1-65536", "1-65536", /"1-65536" is outside/],
    ["10-5", "10-5", /"10-5" runs backwards/],
    ["abc", "abc", /"abc" is not a port, a range/],
    ["22,abc,80", "abc", /"abc" is not a port/],
    ["-", "-", /"-" is not a port/],
    ["1-2-3", "1-2-3", /is not a port/],
    ["1.5", "1.5", /is not a port/],
    ["+22", "+22", /is not a port/],
    ["0x16", "0x16", /is not a port/],
    ["22;80", "22;80", /is not a port/],
    ["22 80", "22 80", /is not a port/],
    ["top", "top", /is not a port/],
    ["top:0", "top:0", /"top:0" asks for no ports/],
    ["top:65536", "top:65536", /"top:65536" asks for more than the 65535 ports there are/],
    ["top:1000000", "top:1000000", /asks for more than/],
    ["top:", "top:", /"top:": N in top:N must be a whole number/],
    ["top:abc", "top:abc", /must be a whole number/],
    ["top:-5", "top:-5", /must be a whole number/],
    ["22,,80", "", /empty entry/],
    ["22,", "", /empty entry/],
    [",22", "", /empty entry/],
  ];
  for (const [spec, token, message] of cases) {
    const error = assertThrows(() => parsePortSet(spec), PortSetError) as PortSetError;
    assertEquals(error.token, token, `token of ${JSON.stringify(spec)}`);
    assertMatch(error.message, message);
  }
  const huge = "x".repeat(10_000);
  assert(assertThrows(() => parsePortSet(huge), PortSetError).message.length < 200, "message stays short");
});

Deno.test("port set: format compresses runs and round-trips", () => {
  assertEquals(formatPortSet([]), "");
  assertEquals(formatPortSet([22]), "22");
  assertEquals(formatPortSet([22, 80, 81, 82, 443]), "22,80-82,443");
  assertEquals(formatPortSet([443, 22, 81, 80, 22, 82]), "22,80-82,443");
  assertEquals(formatPortSet(range(1, 65535)), "1-65535");
  for (const spec of ["22", "22,80,443", "1-1024", "1-1024,8080,8443", "1-65535", "1,3,5-7,65535"]) {
    assertEquals(formatPortSet(parsePortSet(spec)), spec);
  }
  assertEquals(formatPortSet(parsePortSet("all")), "1-65535");
  const random = seededRandom(443);
  for (let i = 0; i < 200; i++) {
    const ports = Array.from({ length: 1 + Math.floor(random() * 50) }, () => 1 + Math.floor(random() * 200));
    assertEquals(parsePortSet(formatPortSet(ports)), [...new Set(ports)].sort((a, b) => a - b));
  }
});

Deno.test("port set: format refuses what is not a port", () => {
  for (const port of [0, -1, 65536, 1.5, Number.NaN, Infinity]) {
    assertThrows(() => formatPortSet([22, port]), PortSetError);
  }
});

// Half the specs are plausible entries (mostly valid, some out of range), half are character soup, so both the
// happy path and every error path get exercised.
function randomSpec(random: () => number, i: number): string {
  const below = (bound: number) => Math.floor(random() * bound);
  const soup = [..."0123456789,,--  :xX", "all", "top:", "65535", "65536", "\u00a0", "\u0661", "1e3", "0x1"];
  if (i % 2) return Array.from({ length: below(12) }, () => soup[below(soup.length)]).join("");
  const number = () => String(random() < 0.9 ? 1 + below(65535) : below(100_000));
  const entries = [
    () => number(),
    () => `${number()}-${number()}`,
    () => random() < 0.5 ? `-${number()}` : `${number()}-`,
    () => "all",
    () => `top:${random() < 0.9 ? 1 + below(3000) : below(100_000)}`,
    () => ` ${number()} `,
  ];
  return Array.from({ length: 1 + below(5) }, () => entries[below(entries.length)]()).join(",");
}

Deno.test("port set: 5000 random specs give sorted unique ports or a PortSetError, never a crash", () => {
  const random = seededRandom(0x5ca1ab1e);
  let parsed = 0;
  for (let i = 0; i < 5000; i++) {
    const spec = randomSpec(random, i);
    try {
      assertSortedUniquePorts(parsePortSet(spec, i % 4 < 2 ? "tcp" : "udp"), JSON.stringify(spec));
      parsed++;
    } catch (error) {
      if (!(error instanceof PortSetError)) throw new Error(`${JSON.stringify(spec)} threw ${error}`);
    }
  }
  assert(parsed > 1000 && parsed < 4000, `${parsed} of 5000 parsed: the mix no longer tests both paths`);
});
