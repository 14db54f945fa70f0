import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { parseCidr, parseIpv4 } from "../ipv4addr.ts";
import { decodeClasslessRoutes, encodeClasslessRoutes } from "./routes.ts";
import { hex } from "./testdata/captures.ts";

const ROUTER = parseIpv4("192.0.2.1");
const ROUTER_BYTES = "c0000201";

Deno.test("routes: RFC 3442 §1's destination descriptor table, each way", () => {
  // Subnet number / mask and the descriptor RFC 3442 gives for it (width, then significant octets).
  const table: [string, string][] = [
    ["0.0.0.0/0", "00"],
    ["10.0.0.0/8", "080a"],
    ["10.0.0.0/24", "180a0000"],
    ["10.17.0.0/16", "100a11"],
    ["10.27.129.0/24", "180a1b81"],
    ["10.229.0.128/25", "190ae50080"],
    ["10.198.122.47/32", "200ac67a2f"],
  ];
  for (const [cidr, descriptor] of table) {
    const route = { destination: parseCidr(cidr), router: ROUTER };
    assertEquals(encodeClasslessRoutes([route]), hex(descriptor + ROUTER_BYTES), cidr);
    assertEquals(unwrap(decodeClasslessRoutes(hex(descriptor + ROUTER_BYTES))), [route], cidr);
  }
  const all = table.map(([cidr]) => ({ destination: parseCidr(cidr), router: ROUTER }));
  assertEquals(unwrap(decodeClasslessRoutes(encodeClasslessRoutes(all))), all);
});

Deno.test("routes: dnsmasq's captured option 121", () => {
  assertEquals(unwrap(decodeClasslessRoutes(hex("080a0a63050114c0a8200a630502"))), [
    { destination: parseCidr("10.0.0.0/8"), router: parseIpv4("10.99.5.1") },
    { destination: parseCidr("192.168.32.0/20"), router: parseIpv4("10.99.5.2") },
  ]);
});

Deno.test("routes: bits past the width are dropped on decode and never sent", () => {
  // 10.255.0.0/9: the second octet's low 7 bits are not significant.
  const [route] = unwrap(decodeClasslessRoutes(hex("090aff" + ROUTER_BYTES)));
  assertStrictEquals(route.destination.address, parseIpv4("10.128.0.0"));
  assertStrictEquals(route.destination.network, parseIpv4("10.128.0.0"));
  const sloppy = { destination: parseCidr("10.1.2.3/16"), router: ROUTER };
  assertEquals(encodeClasslessRoutes([sloppy]), hex("100a01" + ROUTER_BYTES));
});

Deno.test("routes: bad widths and truncation are DecodeErrors", () => {
  const cases: [string, string][] = [
    [
      "21" + "0a000000" + ROUTER_BYTES,
      "dhcp classless static routes: route at offset 0 has prefix width 33, above 32",
    ],
    ["ff" + ROUTER_BYTES, "dhcp classless static routes: route at offset 0 has prefix width 255, above 32"],
    [
      "180a00" + ROUTER_BYTES,
      "dhcp classless static routes: route at offset 0 (/24) needs 8 bytes, only 7 remain",
    ],
    [
      "00" + ROUTER_BYTES + "08",
      "dhcp classless static routes: route at offset 5 (/8) needs 6 bytes, only 1 remain",
    ],
    ["", "dhcp classless static routes: length 0, at least one route (5 bytes) expected"],
  ];
  for (const [bytes, message] of cases) {
    const result = decodeClasslessRoutes(hex(bytes));
    assertStrictEquals(result.ok ? "ok" : result.error.message, message);
  }
  assertThrows(() => encodeClasslessRoutes([]), RangeError);
  assertThrows(
    () => encodeClasslessRoutes([{ destination: parseCidr("10.0.0.0/8"), router: -1 }]),
    RangeError,
  );
});
