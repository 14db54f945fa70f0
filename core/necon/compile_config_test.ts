import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseIpv4 as ip } from "../net/ipv4addr.ts";
import { compileConfig } from "./compile_config.ts";
import { ConfigInvalid, type FieldError, type NeconConfigInput, type SubnetInput } from "./config.ts";

// The field paths and messages here are what SetConfig reports as violations over the API.

function violations(input: NeconConfigInput): FieldError[] {
  const error = assertThrows(() => compileConfig(input), ConfigInvalid) as ConfigInvalid;
  return error.errors;
}

const base: SubnetInput = { cidr: "10.5.0.0/24", pools: [{ start: "10.5.0.10", end: "10.5.0.20" }] };

/** The violations of one subnet made of `base` and `fields`. */
function subnetViolations(fields: Partial<SubnetInput>): FieldError[] {
  return violations({ subnets: [{ ...base, ...fields }] });
}

const one = (field: string, message: string) => [{ field, message }];

Deno.test("necon config: a valid subnet compiles with its defaults and typed fields", () => {
  const config = compileConfig({
    interfaces: ["eth0"],
    subnets: [{
      ...base,
      interface: "eth0",
      routers: ["10.5.0.1"],
      dnsServers: ["10.5.0.53"],
      domainName: "lab.test",
      domainSearch: ["lab.test", "test"],
      ntpServers: ["10.5.0.123"],
      mtu: 9000,
      routes: [{ destination: "192.168.0.0/16", router: "10.5.0.254" }],
      options: [{ code: 252, kind: "string", value: "http://10.5.0.1/wpad.dat" }],
      reservations: [{ mac: "02:00:00:00:00:01", ip: "10.5.0.5", hostname: "node-1" }],
    }],
  });
  const subnet = config.subnets[0];
  assertEquals(config.pingBeforeOffer, false);
  assertEquals(config.declineQuarantineSeconds, 86400);
  assertEquals(subnet.id, "10.5.0.0/24");
  assertEquals([subnet.leaseSeconds, subnet.renewSeconds, subnet.rebindSeconds], [3600, 1800, 3150]);
  assertEquals(subnet.pools, [{ start: ip("10.5.0.10"), end: ip("10.5.0.20") }]);
  assertEquals(subnet.routers, [ip("10.5.0.1")]);
  assertEquals(subnet.dnsServers, [ip("10.5.0.53")]);
  assertEquals(subnet.ntpServers, [ip("10.5.0.123")]);
  assertEquals([subnet.domainName, subnet.domainSearch, subnet.mtu], [
    "lab.test",
    ["lab.test", "test"],
    9000,
  ]);
  assertEquals(subnet.routes.map((r) => [r.destination.network, r.destination.prefixLength, r.router]), [
    [ip("192.168.0.0"), 16, ip("10.5.0.254")],
  ]);
  assertEquals(subnet.options, [{ code: 252, kind: "string", value: "http://10.5.0.1/wpad.dat" }]);
  assertEquals(subnet.reservations[0].ip, ip("10.5.0.5"));
  const empty = compileConfig({ subnets: [base] }).subnets[0];
  assertEquals([empty.routers, empty.domainSearch, empty.routes, empty.reservations], [[], [], [], []]);
});

Deno.test("necon config: interfaces and server-wide settings", () => {
  assertEquals(
    violations({ interfaces: ["eth0", "bad name"] }),
    one("interfaces[1]", "not an interface name"),
  );
  assertEquals(
    violations({ interfaces: ["eth0", "eth0"] }),
    one("interfaces", "an interface is listed twice"),
  );
  assertEquals(
    violations({ interfaces: "eth0" as never }),
    one("interfaces", "expected a list of interface names"),
  );
  assertEquals(
    violations({ declineQuarantineSeconds: 0 }),
    one("declineQuarantineSeconds", "expected whole seconds from 1 to 4294967294"),
  );
});

Deno.test("necon config: the CIDR and the interface of a subnet", () => {
  assertEquals(
    subnetViolations({ cidr: "10.5.0.1/24" }),
    one("subnets[0].cidr", "host bits set; did you mean 10.5.0.0/24?"),
  );
  assertEquals(
    subnetViolations({ cidr: "10.5.0.0/31", pools: [] }),
    one("subnets[0].cidr", "prefix longer than /30 leaves no room for clients"),
  );
  assertEquals(subnetViolations({ cidr: "nonsense" }).map((e) => e.field), ["subnets[0].cidr"]);
  assertEquals(
    violations({ interfaces: ["eth0"], subnets: [{ ...base, interface: "eth1" }] }),
    one("subnets[0].interface", "eth1 is not in interfaces"),
  );
  assertEquals(
    violations({ interfaces: ["eth0"], subnets: [{ ...base, interface: "bad name" }] }),
    [
      { field: "subnets[0].interface", message: "not an interface name" },
      { field: "subnets[0].interface", message: "bad name is not in interfaces" },
    ],
  );
});

Deno.test("necon config: pools lie inside the subnet, in order, without overlapping", () => {
  assertEquals(
    subnetViolations({ pools: [{ start: "10.5.1.5", end: "10.5.0.20" }] }),
    [
      { field: "subnets[0].pools[0].start", message: "10.5.1.5 is outside 10.5.0.0/24" },
      { field: "subnets[0].pools[0]", message: "start is after end" },
    ],
  );
  assertEquals(
    subnetViolations({ pools: [{ start: "10.5.0.0", end: "10.5.0.20" }] }),
    one("subnets[0].pools[0].start", "10.5.0.0 is the network or broadcast address"),
  );
  assertEquals(
    subnetViolations({ pools: [{ start: "10.5.0.20", end: "10.5.0.10" }] }),
    one("subnets[0].pools[0]", "start is after end"),
  );
  assertEquals(
    subnetViolations({
      pools: [{ start: "10.5.0.10", end: "10.5.0.20" }, { start: "10.5.0.15", end: "10.5.0.30" }],
    }),
    one("subnets[0].pools[1]", "overlaps another pool"),
  );
  assertEquals(
    subnetViolations({ pools: [{ start: 5 as never, end: "10.5.0.20" }] }),
    one("subnets[0].pools[0].start", "expected an IPv4 address string"),
  );
});

Deno.test("necon config: lease times", () => {
  assertEquals(
    subnetViolations({ leaseSeconds: 30 }),
    [
      { field: "subnets[0].leaseSeconds", message: "expected whole seconds from 60 to 4294967294" },
    ],
  );
  assertEquals(
    subnetViolations({ leaseSeconds: 600, renewSeconds: 500, rebindSeconds: 400 }),
    one("subnets[0].renewSeconds", "need renewSeconds < rebindSeconds < leaseSeconds"),
  );
  assertEquals(
    subnetViolations({ renewSeconds: 1.5 }),
    one("subnets[0].renewSeconds", "expected whole seconds from 1 to 4294967294"),
  );
});

Deno.test("necon config: typed option fields", () => {
  assertEquals(
    subnetViolations({ routers: ["10.6.0.1"] }),
    one("subnets[0].routers[0]", "10.6.0.1 is outside 10.5.0.0/24"),
  );
  assertEquals(
    subnetViolations({ dnsServers: "10.5.0.53" as never }),
    one("subnets[0].dnsServers", "expected a list of IPv4 addresses"),
  );
  assertEquals(subnetViolations({ ntpServers: ["x"] }).map((e) => e.field), ["subnets[0].ntpServers[0]"]);
  assertEquals(subnetViolations({ domainName: "bad name" }), one("subnets[0].domainName", "not a DNS name"));
  assertEquals(
    subnetViolations({ domainSearch: ["ok.test", "-bad"] }),
    one("subnets[0].domainSearch[1]", "not a DNS name"),
  );
  assertEquals(subnetViolations({ mtu: 67 }), one("subnets[0].mtu", "expected 68..65535"));
  assertEquals(
    subnetViolations({ routes: [{ destination: "10.9.0.0/16", router: "nope" }] }).map((e) => e.field),
    ["subnets[0].routes[0].router"],
  );
  assertEquals(
    subnetViolations({ routes: [{ destination: "nope", router: "10.5.0.1" }] }).map((e) => e.field),
    ["subnets[0].routes[0].destination"],
  );
});

Deno.test("necon config: custom options may not take a code necon sets, and must encode", () => {
  for (const code of [1, 3, 6, 15, 26, 28, 42, 51, 53, 54, 61, 82, 119, 121]) {
    assertEquals(
      subnetViolations({ options: [{ code, kind: "string", value: "x" }] }),
      one(
        "subnets[0].options[0].code",
        `option ${code} is set by necon itself; use the subnet's typed field`,
      ),
    );
  }
  assertEquals(
    subnetViolations({ options: [{ code: 0, kind: "string", value: "x" }] }),
    one("subnets[0].options[0].code", "expected an option code 1..254"),
  );
  const [bad] = subnetViolations({ options: [{ code: 200, kind: "u8", value: "300" }] });
  assertEquals(bad.field, "subnets[0].options[0]");
  assertEquals(bad.message.startsWith("option 200: "), true);
  // 12 answers a reservation's host name: not a subnet field, so it is not refused as a custom option.
  assertEquals(
    compileConfig({ subnets: [{ ...base, options: [{ code: 12, kind: "string", value: "x" }] }] })
      .subnets[0].options.length,
    1,
  );
});

Deno.test("necon config: reservations", () => {
  const reserve = (...reservations: SubnetInput["reservations"] & object) =>
    subnetViolations({ reservations });
  assertEquals(reserve({ ip: "10.5.0.5" }), one("subnets[0].reservations[0]", "needs a mac or a clientId"));
  assertEquals(
    reserve({ clientId: "zz", ip: "10.5.0.5" }),
    one("subnets[0].reservations[0].clientId", "expected hex bytes (type byte first), e.g. 01aabbccddeeff"),
  );
  assertEquals(
    reserve({ mac: "02:00:00:00:00:01", ip: "10.5.0.5", hostname: "bad name" }),
    one("subnets[0].reservations[0].hostname", "not a DNS name"),
  );
  assertEquals(
    reserve({ mac: "02:00:00:00:00:01", ip: "10.5.0.5" }, { mac: "02:00:00:00:00:02", ip: "10.5.0.5" }),
    one("subnets[0].reservations[1].ip", "10.5.0.5 is reserved twice"),
  );
  assertEquals(
    reserve({ mac: "02:00:00:00:00:01", ip: "10.5.0.5" }, { mac: "02:00:00:00:00:01", ip: "10.5.0.6" }),
    one("subnets[0].reservations[1].mac", "this MAC has another reservation"),
  );
  assertEquals(
    reserve({ clientId: "01AB", ip: "10.5.0.5" }, { clientId: "01ab", ip: "10.5.0.6" }),
    one("subnets[0].reservations[1].clientId", "this client has another reservation"),
  );
  assertEquals(reserve({ mac: "nope", ip: "10.5.0.5" }).map((e) => e.field), [
    "subnets[0].reservations[0].mac",
  ]);
});

Deno.test("necon config: subnet ids are unique and subnets do not overlap", () => {
  assertEquals(
    violations({ subnets: [{ ...base, id: "lab" }, { cidr: "10.6.0.0/24", id: "lab" }] }),
    one("subnets[1].id", "duplicate id lab"),
  );
  assertEquals(
    violations({ subnets: [base, { cidr: "10.5.0.0/16" }] }),
    one("subnets[1].cidr", "overlaps subnet 10.5.0.0/24"),
  );
});

Deno.test("necon config: every problem is reported at once", () => {
  const errors = violations({
    interfaces: ["eth0", "eth0"],
    subnets: [{ ...base, mtu: 1, domainName: "bad name", routers: ["10.9.9.9"], leaseSeconds: 1 }],
  });
  assertEquals(errors.map((e) => e.field).sort(), [
    "interfaces",
    "subnets[0].domainName",
    "subnets[0].leaseSeconds",
    "subnets[0].mtu",
    "subnets[0].routers[0]",
  ]);
});
