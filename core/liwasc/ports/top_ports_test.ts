import { assert, assertEquals } from "../../testing/assert.ts";
import { registeredPorts } from "../services/lookup.ts";
import { CURATED_TOP_PORTS, rankedPorts, topPorts } from "./top_ports.ts";

for (const protocol of ["tcp", "udp"] as const) {
  Deno.test(`top ports (${protocol}): the curated list is in range and repeats nothing`, () => {
    const curated = CURATED_TOP_PORTS[protocol];
    assert(curated.length >= 100, `only ${curated.length} curated`);
    assert(curated.every((port) => Number.isInteger(port) && port >= 1 && port <= 65535));
    const repeated = curated.filter((port, i) => curated.indexOf(port) !== i);
    assertEquals(repeated, []);
  });

  Deno.test(`top ports (${protocol}): the ranking is every port once — curated, then registered, then the rest`, () => {
    const ranked = rankedPorts(protocol);
    assertEquals(ranked.length, 65535);
    assertEquals(new Set(ranked).size, 65535);
    const curated = CURATED_TOP_PORTS[protocol];
    assertEquals(ranked.slice(0, curated.length), [...curated]);
    const registered = registeredPorts(protocol).filter((port) => !curated.includes(port));
    assertEquals(ranked.slice(curated.length, curated.length + registered.length), registered);
    const rest = ranked.slice(curated.length + registered.length);
    assert(rest.every((port, i) => i === 0 || port > rest[i - 1]), "the rest is in port order");
    assertEquals(topPorts(protocol, 5), ranked.slice(0, 5));
  });
}
