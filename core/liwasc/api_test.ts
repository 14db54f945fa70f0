// liwasc's API handlers in process (Connect's router transport over a temporary data directory): no
// server, no scans on the wire, no root. tests/liwasc/api_test.ts scans a namespace lab through buf curl.
import { Registry } from "../metrics/registry.ts";
import { Code, ConnectError } from "@connectrpc/connect";
import { FieldViolationsSchema } from "../api/gen/ctpf/v1/errors_pb.ts";
import { LiwascService, ScanKind } from "../api/gen/ctpf/v1/liwasc_pb.ts";
import { parseMac } from "../net/mac.ts";
import { assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { waitFor } from "../testing/harness/wait.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { assertStreamLimit } from "../testing/stream_limit.ts";
import { registerLiwascApi } from "./api.ts";
import { Liwasc } from "./liwasc.ts";
import { defaultSettings, type NodeRecord, type PortRecord, type ScanRecord } from "./model.ts";
import { SqliteLiwascRepository } from "./store_sqlite.ts";

const known: NodeRecord = {
  mac: parseMac("02:00:00:00:77:0a"),
  ips: ["10.77.0.10"],
  interface: "scan0",
  vendor: "",
  hostname: "known",
  firstSeen: 1_700_000_000_000,
  lastSeen: 1_700_000_000_000,
  online: true,
  conflictsWith: [],
};

async function withLiwasc(
  options: { anonymousRead?: boolean },
  test: (api: InProcessApi, liwasc: Liwasc) => Promise<void>,
): Promise<void> {
  await using api = await inProcessApi(options);
  const repository = new SqliteLiwascRepository(api.store);
  repository.saveNodes([known]);
  // "scan0" need not exist: these requests are refused or answered before anything is sent on it.
  const liwasc = new Liwasc({ log: api.log, metrics: api.metrics, repository, interfaces: ["scan0"] });
  api.serve((router) => registerLiwascApi(router, liwasc));
  try {
    await test(api, liwasc);
  } finally {
    liwasc.stop();
  }
}

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await assertRejects(() => call));
}

function scan(id: string, kind: ScanRecord["kind"]): ScanRecord {
  return {
    id,
    kind,
    state: "running",
    started: 0,
    target: "scan0",
    ports: "",
    found: 0,
    done: 0,
    total: 1,
    startedBy: "test",
  };
}

function port(ip: string, number: number): PortRecord {
  return { ip, protocol: "tcp", port: number, state: "open", reason: "syn-ack", scanId: "s", seen: 0 };
}

Deno.test("liwasc api (in process): metadata, nodes and settings", async () => {
  await withLiwasc({}, async (api) => {
    const liwasc = api.client(LiwascService);
    const ssh = await liwasc.getPortMetadata({ port: 22, protocol: "tcp" });
    assertEquals(ssh.service, "ssh");
    const { nodes } = await liwasc.listNodes({});
    assertEquals(nodes.map((n) => [n.mac, n.ips, n.hostname]), [[
      "02:00:00:00:77:0a",
      ["10.77.0.10"],
      "known",
    ]]);
    const { settings } = await liwasc.setSettings({ settings: { arpRate: 500 } });
    assertEquals(settings?.arpRate, 500);
    assertEquals((await liwasc.getSettings({})).settings?.arpRate, 500);
  });
});

Deno.test("liwasc api (in process): scan interfaces are settings, checked, kept and in force at once", async () => {
  await withLiwasc({}, async (api, liwasc) => {
    const client = api.client(LiwascService);
    const before = (await client.getSettings({})).settings!;
    assertEquals(before.scanInterfaces, ["scan0"]);
    assertEquals((await client.getScannerMetadata({})).flagScanInterfaces, ["scan0"]);
    const refused = await refusal(client.setSettings({
      settings: { ...before, arpRate: 0, scanInterfaces: ["scan0", "nosuch0"] },
    }));
    assertEquals(Code[refused.code], Code[Code.InvalidArgument]);
    const [details] = refused.findDetails(FieldViolationsSchema);
    assertEquals(details.violations.map((v) => [v.field, v.description]), [
      ["settings.arp_rate", "from 1 to 100000 requests per second"],
      ["settings.scan_interfaces", "no interface named nosuch0 on this machine"],
    ]);
    assertEquals((await client.getSettings({})).settings, before);
    // Loopback exists everywhere; the choice replaces the old one at once.
    const { settings } = await client.setSettings({ settings: { ...before, scanInterfaces: ["lo"] } });
    assertEquals(settings?.scanInterfaces, ["lo"]);
    assertEquals(liwasc.interfaces, ["lo"]);
    const unticked = await refusal(client.startNodeScan({ interface: "scan0" }));
    assertMatch(unticked.rawMessage, /scan0 is not a scanner interface \(lo\)/);
    await client.setSettings({ settings: { ...before, scanInterfaces: [] } });
    const none = await refusal(client.startWake({ mac: "02:00:00:00:77:0a" }));
    assertEquals(Code[none.code], Code[Code.FailedPrecondition]);
    assertMatch(none.rawMessage, /no scan interface is chosen/);
  });
});

Deno.test("liwasc api (in process): --scan-interfaces replaces the stored choice at start; without it the choice stands", async () => {
  await using api = await inProcessApi({});
  const repository = new SqliteLiwascRepository(api.store);
  new Liwasc({ log: api.log, metrics: new Registry(), repository }).setSettings({
    ...defaultSettings,
    scanInterfaces: ["lo"],
  });
  const restarted = new Liwasc({ log: api.log, metrics: new Registry(), repository });
  assertEquals([restarted.interfaces, restarted.flagInterfaces], [["lo"], []]);
  const flagged = new Liwasc({ log: api.log, metrics: new Registry(), repository, interfaces: ["scan9"] });
  assertEquals([flagged.interfaces, flagged.flagInterfaces], [["scan9"], ["scan9"]]);
  assertEquals(repository.loadSettings().scanInterfaces, ["scan9"]);
});

Deno.test("liwasc api (in process): bad requests get their codes", async () => {
  await withLiwasc({}, async (api) => {
    const liwasc = api.client(LiwascService);
    const badMac = await refusal(liwasc.getNodeMetadata({ mac: "02:00:00:zz:00:01" }));
    assertEquals(Code[badMac.code], Code[Code.InvalidArgument]);
    assertMatch(badMac.rawMessage, /^mac: invalid MAC address/);
    const cases: [Promise<unknown>, Code, RegExp][] = [
      [liwasc.startNodeScan({ interface: "eth9" }), Code.InvalidArgument, /eth9 is not a scanner interface/],
      [liwasc.startNodeScan({ ips: ["300.1.1.1"] }), Code.InvalidArgument, /^ips\[0\]: invalid IPv4 address/],
      [liwasc.startWake({ mac: "02:00:00:zz:00:01" }), Code.InvalidArgument, /^mac: /],
      [liwasc.setSettings({ settings: { arpRate: 0 } }), Code.InvalidArgument, /^settings\.arp_rate: /],
      [liwasc.getPortMetadata({ port: 0, protocol: "tcp" }), Code.InvalidArgument, /^port: /],
      [liwasc.getNode({ mac: "02:00:00:00:00:99" }), Code.NotFound, /no node/],
      [liwasc.cancelScan({ id: "no-such-scan" }), Code.NotFound, /^id: no scan or wake no-such-scan/],
    ];
    for (const [call, code, message] of cases) {
      const error = await refusal(call);
      assertEquals(Code[error.code], Code[code], error.rawMessage);
      assertMatch(error.rawMessage, message);
    }
  });
});

Deno.test("liwasc api (in process): with --anonymous-read, reads need no credential and writes do", async () => {
  await withLiwasc({ anonymousRead: true }, async (api) => {
    const anonymous = api.client(LiwascService, "");
    assertEquals((await anonymous.listNodes({})).nodes.length, 1);
    assertEquals((await anonymous.listScans({ kind: ScanKind.NODE })).scans, []);
    assertEquals(Code[(await refusal(anonymous.startNodeScan({}))).code], Code[Code.Unauthenticated]);
    const viewer = api.client(LiwascService, api.viewerToken);
    assertEquals(Code[(await refusal(viewer.setSettings({}))).code], Code[Code.PermissionDenied]);
  });
});

Deno.test("liwasc api (in process): streams send the current state, then only the changes they asked for", async () => {
  await withLiwasc({}, async (api, liwasc) => {
    const client = api.client(LiwascService);
    const controller = new AbortController();
    const { signal } = controller;
    try {
      const nodes = client.subscribeToNodes({}, { signal })[Symbol.asyncIterator]();
      assertEquals((await nodes.next()).value.node.hostname, "known");
      liwasc.nodes.publish({ ...known, hostname: "renamed" });
      assertEquals((await nodes.next()).value.node.hostname, "renamed");

      const scans = client.subscribeToNodeScans({}, { signal })[Symbol.asyncIterator]();
      const firstScan = scans.next();
      await waitFor(() => liwasc.scans.subscriberCount === 1, { what: "the scan stream" });
      liwasc.scans.publish(scan("port-1", "port"));
      liwasc.scans.publish(scan("node-1", "node"));
      assertEquals((await firstScan).value.scan.id, "node-1");

      const ports = client.subscribeToPorts({ ip: "10.77.0.10" }, { signal })[Symbol.asyncIterator]();
      const firstPort = ports.next();
      await waitFor(() => liwasc.ports.subscriberCount === 1, { what: "the port stream" });
      liwasc.ports.publish(port("10.77.0.11", 80));
      liwasc.ports.publish(port("10.77.0.10", 22));
      assertEquals([(await firstPort).value.port.ip, (await firstPort).value.port.service], [
        "10.77.0.10",
        "ssh",
      ]);
    } finally {
      controller.abort();
    }
  });
});

Deno.test("liwasc api (in process): SubscribeToNodes and SubscribeToWakes answer their 65th stream resource_exhausted", async () => {
  await withLiwasc({}, async (api, liwasc) => {
    const client = api.client(LiwascService);
    await assertStreamLimit({
      open: (signal) => client.subscribeToNodes({}, { signal }),
      subscribers: () => liwasc.nodes.subscriberCount,
    });
    await assertStreamLimit({
      open: (signal) => client.subscribeToWakes({}, { signal }),
      subscribers: () => liwasc.wakes.subscriberCount,
    });
  });
});
