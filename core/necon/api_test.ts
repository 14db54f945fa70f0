// necon's API handlers in process (Connect's router transport over a temporary data directory): no
// server, no sockets, no root. tests/necon/api_test.ts drives the same API with buf curl and real clients.
import { Code, ConnectError } from "@connectrpc/connect";
import { FieldViolationsSchema } from "../api/gen/ctpf/v1/errors_pb.ts";
import { NeconService } from "../api/gen/ctpf/v1/necon_pb.ts";
import { parseIpv4 } from "../net/ipv4addr.ts";
import { parseMac } from "../net/mac.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { assertStreamLimit } from "../testing/stream_limit.ts";
import { registerNeconApi } from "./api.ts";
import { Necon } from "./necon.ts";

async function withNecon(
  options: { anonymousRead?: boolean },
  test: (api: InProcessApi, necon: Necon) => Promise<void>,
): Promise<void> {
  await using api = await inProcessApi(options);
  const necon = new Necon({ log: api.log, metrics: api.metrics, store: api.store });
  api.serve((router) => registerNeconApi(router, necon));
  try {
    await test(api, necon);
  } finally {
    await necon.stop();
  }
}

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await assertRejects(() => call));
}

const lab = { cidr: "10.61.0.0/24", pools: [{ start: "10.61.0.100", end: "10.61.0.110" }] };

function bound(ip: string, mac: string) {
  const now = Date.now();
  return {
    ip: parseIpv4(ip),
    subnetId: "lab",
    clientKey: `mac:${mac.replaceAll(":", "")}`,
    mac: parseMac(mac),
    state: "bound" as const,
    expiresAt: now + 3_600_000,
    updatedAt: now,
  };
}

Deno.test("necon api (in process): configuration round trip; a bad one refused field by field", async () => {
  await withNecon({}, async (api) => {
    const necon = api.client(NeconService);
    const { config } = await necon.setConfig({ config: { subnets: [{ ...lab, id: "lab" }] } });
    assertEquals(config?.subnets.map((s) => [s.id, s.cidr]), [["lab", "10.61.0.0/24"]]);
    const before = await necon.getConfig({});

    const refused = await refusal(
      necon.setConfig({
        config: { subnets: [{ cidr: "10.61.0.0/24", pools: [{ start: "10.61.1.5", end: "10.61.0.110" }] }] },
      }),
    );
    assertEquals(Code[refused.code], Code[Code.InvalidArgument]);
    const [details] = refused.findDetails(FieldViolationsSchema);
    assert(details, "FieldViolations detail missing");
    assert(
      details.violations.some((v) => v.field === "subnets[0].pools[0].start"),
      JSON.stringify(details.violations),
    );
    assertEquals(await necon.getConfig({}), before);

    const badAddress = await refusal(necon.getLease({ ip: "10.61.0" }));
    assertEquals(Code[badAddress.code], Code[Code.InvalidArgument]);
    assertMatch(badAddress.rawMessage, /^ip: invalid IPv4 address "10\.61\.0"/);
    assertEquals(Code[(await refusal(necon.getLease({ ip: "10.61.0.9" }))).code], Code[Code.NotFound]);
    assertEquals(Code[(await refusal(necon.putSubnet({}))).code], Code[Code.InvalidArgument]);
  });
});

Deno.test("necon api (in process): with --anonymous-read, reads need no credential and writes do", async () => {
  await withNecon({ anonymousRead: true }, async (api) => {
    const anonymous = api.client(NeconService, "");
    assertEquals((await anonymous.getConfig({})).config?.subnets, []);
    assertEquals((await anonymous.listLeases({})).leases, []);
    assertEquals(Code[(await refusal(anonymous.setConfig({}))).code], Code[Code.Unauthenticated]);
    const viewer = api.client(NeconService, api.viewerToken);
    assertEquals(Code[(await refusal(viewer.deleteSubnet({ id: "x" }))).code], Code[Code.PermissionDenied]);
  });
});

Deno.test("necon api (in process): SubscribeToLeases sends the leases, then changes", async () => {
  await withNecon({}, async (api, necon) => {
    await necon.apply({ subnets: [{ ...lab, id: "lab" }] });
    necon.leases.put(bound("10.61.0.100", "02:00:00:00:61:00"));
    necon.leases.flush();
    const controller = new AbortController();
    const stream = api.client(NeconService).subscribeToLeases({}, { signal: controller.signal })[
      Symbol.asyncIterator
    ]();
    try {
      const replayed = (await stream.next()).value;
      assertEquals([replayed.lease.ip, replayed.lease.mac, replayed.lease.state, replayed.replay], [
        "10.61.0.100",
        "02:00:00:00:61:00",
        "bound",
        true,
      ]);
      necon.leases.put(bound("10.61.0.101", "02:00:00:00:61:01"));
      necon.leases.flush();
      const changed = (await stream.next()).value;
      assertEquals([changed.lease.ip, changed.replay], ["10.61.0.101", false]);
    } finally {
      controller.abort();
    }
  });
});

Deno.test("necon api (in process): SubscribeToLeases answers its 65th stream resource_exhausted", async () => {
  await withNecon({}, async (api, necon) => {
    const client = api.client(NeconService);
    await assertStreamLimit({
      open: (signal) => client.subscribeToLeases({}, { signal }),
      subscribers: () => necon.leaseEvents.subscriberCount,
    });
  });
});

/** The violations of a refused call, as "field: description" lines. */
async function violationsOf(call: Promise<unknown>): Promise<string[]> {
  const refused = await refusal(call);
  assertEquals(Code[refused.code], Code[Code.InvalidArgument]);
  return refused.findDetails(FieldViolationsSchema).flatMap((d) =>
    d.violations.map((v) => `${v.field}: ${v.description}`)
  );
}

Deno.test("necon api (in process): PutSubnet and PutReservation name violations as their request does", async () => {
  await withNecon({}, async (api) => {
    const necon = api.client(NeconService);
    await necon.setConfig({
      config: { subnets: [{ cidr: "10.62.0.0/24", id: "first" }, { ...lab, id: "lab" }] },
    });
    const before = await necon.getConfig({});

    // A replaced subnet (second in the config) and a new one (third) both answer as "subnet".
    const replaced = await violationsOf(necon.putSubnet({
      subnet: { id: "lab", cidr: "10.61.0.0/24", pools: [{ start: "10.61.1.5", end: "10.61.0.110" }] },
    }));
    assert(replaced.some((v) => v.startsWith("subnet.pools[0].start: ")), replaced.join("\n"));
    const added = await violationsOf(
      necon.putSubnet({ subnet: { cidr: "10.63.0.0/24", routers: ["10.63.0.300"] } }),
    );
    assertEquals(added.map((v) => v.split(":")[0]), ["subnet.routers[0]"]);
    assertEquals(await necon.getConfig({}), before);

    const reservation = await violationsOf(
      necon.putReservation({ subnetId: "lab", reservation: { mac: "02:00:00:00:61:zz", ip: "10.61.0.50" } }),
    );
    assertEquals(reservation.map((v) => v.split(":")[0]), ["reservation.mac"]);
    assertEquals(await necon.getConfig({}), before);
  });
});

Deno.test("necon api (in process): PutReservation with replaces_ip moves a reservation in one change", async () => {
  await withNecon({}, async (api) => {
    const necon = api.client(NeconService);
    const mac = "02:00:00:00:61:07";
    await necon.setConfig({
      config: { subnets: [{ ...lab, id: "lab", reservations: [{ mac, ip: "10.61.0.50" }] }] },
    });
    // Without replaces_ip the old one stays and the MAC would be reserved twice.
    const twice = await violationsOf(
      necon.putReservation({ subnetId: "lab", reservation: { mac, ip: "10.61.0.51" } }),
    );
    assertEquals(twice, ["reservation.mac: this MAC has another reservation"]);
    await necon.putReservation({
      subnetId: "lab",
      reservation: { mac, ip: "10.61.0.51", hostname: "moved" },
      replacesIp: "10.61.0.50",
    });
    const { config } = await necon.getConfig({});
    assertEquals(config?.subnets[0].reservations.map((r) => [r.mac, r.ip, r.hostname]), [
      [mac, "10.61.0.51", "moved"],
    ]);
  });
});

Deno.test("necon api (in process): SetInterfaces changes the served interfaces and nothing else", async () => {
  await withNecon({}, async (api) => {
    const necon = api.client(NeconService);
    await necon.setConfig({ config: { pingBeforeOffer: true, subnets: [{ ...lab, id: "lab" }] } });
    const { config } = await necon.setInterfaces({ interfaces: ["lo"] });
    assertEquals([config?.interfaces, config?.pingBeforeOffer, config?.subnets.map((s) => s.id)], [
      ["lo"],
      true,
      ["lab"],
    ]);
    assertEquals(await violationsOf(necon.setInterfaces({ interfaces: ["bad name!"] })), [
      "interfaces[0]: not an interface name",
    ]);
    assertEquals((await necon.getConfig({})).config?.interfaces, ["lo"]);
    assertEquals((await necon.getConfig({})).startupFile, "");
  });
});
