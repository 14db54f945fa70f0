// nodin's API handlers in process (core/testing/in_process_api.ts): no server, no sockets, no root.
// Sightings are fed as the hubs' adapters feed them; tests/nodin drives the real binaries.
import { Code, ConnectError } from "@connectrpc/connect";
import { FieldViolationsSchema } from "../api/gen/ctpf/v1/errors_pb.ts";
import { NodinService } from "../api/gen/ctpf/v1/nodin_pb.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { MetricsText } from "../testing/metrics.ts";
import { registerNodinApi } from "./api.ts";
import { Nodin } from "./nodin.ts";
import { DriverRegistry } from "./power/registry.ts";
import { CredentialFiles } from "./secrets.ts";
import { SqliteNodinRepository } from "./store_sqlite.ts";
import { fakeDriverFactory } from "./testing/fake_power_driver.ts";

async function withNodin(
  options: { anonymousRead?: boolean; drivers?: DriverRegistry },
  test: (api: InProcessApi, nodin: Nodin) => Promise<void>,
): Promise<void> {
  await using api = await inProcessApi(options);
  const nodin = new Nodin({
    log: api.log,
    repository: new SqliteNodinRepository(api.store),
    credentials: new CredentialFiles(`${api.dataDir}/nodin-credentials`),
    drivers: options.drivers ?? new DriverRegistry(),
    metrics: api.metrics,
  });
  api.serve((router) => registerNodinApi(router, nodin));
  try {
    await test(api, nodin);
  } finally {
    await nodin.stop();
  }
}

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await assertRejects(() => call));
}

async function violationsOf(call: Promise<unknown>): Promise<string[]> {
  const refused = await refusal(call);
  assertEquals(Code[refused.code], Code[Code.InvalidArgument], refused.message);
  return refused.findDetails(FieldViolationsSchema).flatMap((d) => d.violations.map((v) => v.field));
}

const mac = "02:00:00:00:61:00";

Deno.test("nodin api (in process): necon, liwasc and bofied sightings of one MAC are one node with three sources", async () => {
  await withNodin({}, async (api, nodin) => {
    const client = api.client(NodinService);
    nodin.sight({
      source: "necon",
      mac,
      at: 1000,
      addresses: ["10.61.0.100"],
      detail: "lease 10.61.0.100 bound",
    });
    nodin.sight({ source: "liwasc", mac, at: 2000, addresses: ["10.61.0.100"], detail: "ARP reply on br0" });
    nodin.sight({ source: "bofied", mac, at: 3000, pxeArch: 7, detail: "PXE x64 UEFI: boot ipxe.efi" });
    nodin.sight({ source: "necon", mac: "02:00:00:00:61:01", at: 1000, detail: "lease 10.61.0.101 bound" });

    const { nodes } = await client.listInventory({});
    assertEquals(nodes.length, 2);
    const node = nodes.find((n) => n.macs[0] === mac)!;
    assertEquals(node.sources.map((s) => s.source), ["necon", "liwasc", "bofied"]);
    assertEquals([node.lifecycle, node.architecture, node.firmware, node.pxeArch], [
      "discovered",
      "x64",
      "uefi",
      7,
    ]);
    assertEquals(node.addresses, ["10.61.0.100"]);
    assertEquals(node.name, "node-006100");
    assertEquals(node.observedPower?.state, "unknown");

    const bySource = await client.listInventory({ filter: { source: "bofied" } });
    assertEquals(bySource.nodes.map((n) => n.id), [node.id]);
    const byText = await client.listInventory({ filter: { text: "61:01" } });
    assertEquals(byText.nodes.map((n) => n.macs), [["02:00:00:00:61:01"]]);

    const { entries } = await client.listNodeHistory({ id: node.id });
    assertEquals(entries.map((e) => e.message).toReversed(), [
      "discovered by necon",
      "seen by necon: lease 10.61.0.100 bound",
      "address 10.61.0.100 (necon)",
      "seen by liwasc: ARP reply on br0",
      "seen by bofied: PXE x64 UEFI: boot ipxe.efi",
      "boots as x64 uefi (PXE architecture 7, bofied)",
    ]);

    // The sightings by source, and the nodes by life-cycle and observed power (every state, 0 or not).
    const counted = new MetricsText(api.metrics.render());
    assertEquals(
      ["necon", "liwasc", "bofied"].map((source) => counted.value("ctpf_nodin_sightings_total", { source })),
      [2, 1, 1],
    );
    assertEquals([
      counted.value("ctpf_nodin_nodes", { lifecycle: "discovered" }),
      counted.value("ctpf_nodin_nodes"),
    ], [
      2,
      2,
    ]);
    assertEquals(counted.value("ctpf_nodin_nodes_observed_power", { state: "unknown" }), 2);
    assert(api.metrics.render().includes('ctpf_nodin_nodes{lifecycle="deployed"} 0\n'));
    assert(api.metrics.render().includes('ctpf_nodin_nodes_observed_power{state="powering_on"} 0\n'));
  });
});

Deno.test("nodin api (in process): an enrolment rule by MAC prefix enrols matching nodes, now and later", async () => {
  await withNodin({}, async (api, nodin) => {
    const client = api.client(NodinService);
    nodin.sight({ source: "necon", mac, at: 1000, detail: "lease" });
    nodin.sight({ source: "necon", mac: "02:99:00:00:00:01", at: 1000, detail: "lease" });

    assertEquals(
      await violationsOf(client.putEnrolmentRule({
        rule: { name: "", macPrefixes: ["02:zz"], labelSelector: "!a=b", setLabels: { "-x": "y" } },
      })),
      ["rule.name", "rule.mac_prefixes[0]", "rule.label_selector", "rule.set_labels.-x"],
    );
    assertEquals(await violationsOf(client.putEnrolmentRule({ rule: { name: "everything" } })), [
      "rule.mac_prefixes",
    ]);
    assertEquals((await client.listEnrolmentRules({})).rules, []);

    const { rule } = await client.putEnrolmentRule({
      rule: {
        name: "lab racks",
        enabled: true,
        macPrefixes: ["02:00:00"],
        setLabels: { rack: "a", role: "worker" },
        bootIntent: "install-debian",
      },
    });
    assertMatch(rule!.id, /^r-[0-9a-f]{10}$/);
    const enrolled = (await client.listInventory({ filter: { lifecycles: ["enrolled"] } })).nodes;
    assertEquals(enrolled.map((n) => [n.macs[0], n.labels, n.bootIntent, n.enrolledBy]), [
      [mac, { rack: "a", role: "worker" }, "install-debian", rule!.id],
    ]);
    // A node discovered after the rule is enrolled as it appears; one outside the prefix is not.
    nodin.sight({ source: "liwasc", mac: "02:00:00:00:61:07", at: 2000, detail: "ARP" });
    const selected = await client.listInventory({ filter: { labelSelector: "rack=a,role=worker" } });
    assertEquals(selected.nodes.map((n) => n.macs[0]).sort(), [mac, "02:00:00:00:61:07"]);
    assertEquals(
      (await client.listInventory({ filter: { lifecycles: ["discovered"] } })).nodes.map((n) => n.macs[0]),
      ["02:99:00:00:00:01"],
    );
    const history = await client.listNodeHistory({ id: enrolled[0].id, limit: 1 });
    assertEquals(
      history.entries[0].message,
      'discovered → enrolled by rule "lab racks" (labels rack=a, role=worker), boot intent install-debian',
    );
    assertEquals(history.entries[0].actor, rule!.id);

    await client.deleteEnrolmentRule({ id: rule!.id });
    assertEquals(
      Code[(await refusal(client.deleteEnrolmentRule({ id: rule!.id }))).code],
      Code[Code.NotFound],
    );
  });
});

Deno.test("nodin api (in process): only legal life-cycle steps; enrol, retire and re-enrol", async () => {
  await withNodin({}, async (api, nodin) => {
    const client = api.client(NodinService);
    nodin.sight({ source: "necon", mac, at: 1000, detail: "lease" });
    const [node] = (await client.listInventory({})).nodes;
    const illegal = await refusal(client.setLifecycle({ id: node.id, lifecycle: "deployed" }));
    assertEquals(Code[illegal.code], Code[Code.FailedPrecondition]);
    assertMatch(illegal.rawMessage, /^lifecycle: a discovered node cannot become deployed/);
    assertEquals(
      Code[(await refusal(client.setLifecycle({ id: node.id, lifecycle: "gone" }))).code],
      Code[Code.InvalidArgument],
    );
    assertEquals(Code[(await refusal(client.enrolNode({ id: "n-nothere" }))).code], Code[Code.NotFound]);

    const enrolled = await client.enrolNode({ id: node.id, labels: { rack: "b" }, bootIntent: "disk" });
    assertEquals([enrolled.node?.lifecycle, enrolled.node?.labels, enrolled.node?.bootIntent], ["enrolled", {
      rack: "b",
    }, "disk"]);
    for (const step of ["provisioning", "ready", "deployed"]) {
      assertEquals(
        (await client.setLifecycle({ id: node.id, lifecycle: step, reason: "test" })).node?.lifecycle,
        step,
      );
    }
    const retired = await client.retireNode({ id: node.id, reason: "disk failed" });
    assertEquals(retired.node?.lifecycle, "retired");
    assertEquals(
      Code[(await refusal(client.setLifecycle({ id: node.id, lifecycle: "ready" }))).code],
      Code[Code.FailedPrecondition],
    );
    // Seen again while retired: it stays retired (and the same node).
    nodin.sight({ source: "liwasc", mac, at: 5000, detail: "ARP" });
    assertEquals((await client.getInventoryNode({ id: node.id })).node?.lifecycle, "retired");
    assertEquals((await client.enrolNode({ id: node.id })).node?.lifecycle, "enrolled");
    const steps = (await client.listNodeHistory({ id: node.id })).entries.filter((e) =>
      e.kind === "lifecycle"
    );
    assertEquals(steps.map((e) => e.message).toReversed(), [
      "discovered → enrolled: enrolled by admin",
      "enrolled → provisioning: test",
      "provisioning → ready: test",
      "ready → deployed: test",
      "deployed → retired: disk failed",
      "retired → enrolled: enrolled by admin",
    ]);
  });
});

Deno.test("nodin api (in process): create, update and delete refuse wrong fields one by one", async () => {
  await withNodin({}, async (api, nodin) => {
    const client = api.client(NodinService);
    nodin.sight({ source: "necon", mac, at: 1000, detail: "lease" });
    assertEquals(
      await violationsOf(client.createNode({
        node: {
          name: "bad name",
          macs: ["02:00:00:00:61:0g", mac],
          addresses: ["10.0.0"],
          firmware: "coreboot",
          labels: { ok: "a b" },
          bmc: { driver: "ipmi", address: "" },
        },
      })),
      ["name", "labels.ok", "macs[0]", "macs[1]", "addresses[0]", "firmware", "bmc.driver", "bmc.address"],
    );
    assertEquals((await client.listInventory({})).nodes.length, 1);

    const { node } = await client.createNode({
      node: { name: "rack-a-1", macs: ["02:AA:00:00:00:01"], labels: { rack: "a" }, architecture: "arm64" },
    });
    assertEquals([node?.lifecycle, node?.macs, node?.sources.map((s) => s.source)], ["enrolled", [
      "02:aa:00:00:00:01",
    ], ["api"]]);
    // A sighting of its MAC lands on it.
    nodin.sight({
      source: "liwasc",
      mac: "02:aa:00:00:00:01",
      at: 2000,
      addresses: ["10.61.0.9"],
      detail: "ARP",
    });
    assertEquals((await client.getInventoryNode({ id: node!.id })).node?.addresses, ["10.61.0.9"]);

    const updated = await client.updateNode({
      id: node!.id,
      name: "rack-a-01",
      labels: { values: { rack: "a", gpu: "" } },
    });
    assertEquals([updated.node?.name, updated.node?.labels, updated.node?.architecture], ["rack-a-01", {
      rack: "a",
      gpu: "",
    }, "arm64"]);
    assertEquals(await violationsOf(client.updateNode({ id: node!.id, macs: { values: [mac] } })), [
      "macs[0]",
    ]);
    assertEquals(
      Code[(await refusal(client.updateNode({ id: "n-0000000000", name: "x" }))).code],
      Code[Code.NotFound],
    );

    await client.deleteNode({ id: node!.id });
    assertEquals(Code[(await refusal(client.getInventoryNode({ id: node!.id }))).code], Code[Code.NotFound]);
    // Its MAC is free again: a sighting discovers a new node.
    nodin.sight({ source: "liwasc", mac: "02:aa:00:00:00:01", at: 3000, detail: "ARP" });
    const again = (await client.listInventory({ filter: { text: "02:aa" } })).nodes;
    assertEquals(again.map((n) => n.lifecycle), ["discovered"]);
    assert(again[0].id !== node!.id);
  });
});

Deno.test("nodin api (in process): power needs a BMC and a driver that can; the credential is never returned", async () => {
  const fake = fakeDriverFactory();
  await withNodin({ drivers: new DriverRegistry([fake]) }, async (api, nodin) => {
    const client = api.client(NodinService);
    nodin.sight({ source: "necon", mac, at: 1000, detail: "lease" });
    const [node] = (await client.listInventory({})).nodes;
    const noBmc = await refusal(client.setPower({ id: node.id, action: "on" }));
    assertEquals(Code[noBmc.code], Code[Code.FailedPrecondition]);
    assertMatch(noBmc.rawMessage, /has no BMC reference/);

    assertEquals(
      await violationsOf(client.updateNode({ id: node.id, bmc: { driver: "ipmi", address: "10.0.0.5" } })),
      [
        "bmc.driver",
      ],
    );
    assertEquals(
      await violationsOf(
        client.updateNode({ id: node.id, bmc: { driver: "fake", address: "m1", credentialRef: "../x" } }),
      ),
      ["bmc.credential_ref"],
    );
    const { node: withBmc } = await client.updateNode({
      id: node.id,
      bmc: { driver: "fake", address: "m1", credential: { username: "admin", password: "s3cret" } },
    });
    assertEquals(withBmc?.bmc, {
      $typeName: "ctpf.v1.BmcReference",
      driver: "fake",
      address: "m1",
      credentialRef: node.id,
      options: {},
      hasCredential: true,
    });
    const mode = (await Deno.stat(`${api.dataDir}/nodin-credentials/${node.id}.json`)).mode! & 0o777;
    assertEquals(mode, 0o600);
    for (
      const answer of [
        withBmc,
        (await client.getInventoryNode({ id: node.id })).node,
        (await client.listInventory({})).nodes[0],
      ]
    ) {
      assert(!JSON.stringify(answer, (_, v) => typeof v === "bigint" ? String(v) : v).includes("s3cret"));
    }
    const history = (await client.listNodeHistory({ id: node.id })).entries.map((e) => e.message).join("\n");
    assert(!history.includes("s3cret"), history);
    assertMatch(history, /edited bmc \(credential replaced\)/);

    assertEquals(
      Code[(await refusal(client.setPower({ id: node.id, action: "explode" }))).code],
      Code[Code.InvalidArgument],
    );
    const bootRefused = await refusal(client.setBootDevice({ id: node.id, device: "pxe" }));
    assertEquals(Code[bootRefused.code], Code[Code.FailedPrecondition]);
    assertMatch(bootRefused.rawMessage, /cannot boot from "pxe"/);
    const { node: wanted } = await client.setPower({ id: node.id, action: "soft-off" });
    assertEquals([wanted?.desiredPower?.state, wanted?.desiredPower?.offMode], ["off", "soft"]);
    assertEquals((await client.listDrivers({})).drivers.map((d) => [d.driver, d.capabilities?.actions]), [
      ["fake", ["on", "off", "soft-off"]],
    ]);
  });
});

Deno.test("nodin api (in process): WatchInventory sends the nodes, then changes; a filter drops nodes that leave it", async () => {
  await withNodin({}, async (api, nodin) => {
    nodin.sight({ source: "necon", mac, at: 1000, detail: "lease" });
    const controller = new AbortController();
    const stream = api.client(NodinService).watchInventory({ filter: { lifecycles: ["discovered"] } }, {
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    try {
      const first = (await stream.next()).value;
      assertEquals([first.node.macs, first.replay, first.removed], [[mac], true, false]);
      nodin.sight({ source: "liwasc", mac: "02:00:00:00:61:02", at: 2000, detail: "ARP" });
      const second = (await stream.next()).value;
      assertEquals([second.node.macs, second.replay, second.removed], [["02:00:00:00:61:02"], false, false]);
      nodin.enrol(first.node.id, {}, "test");
      const left = (await stream.next()).value;
      assertEquals([left.node.id, left.node.lifecycle, left.removed], [first.node.id, "enrolled", true]);
    } finally {
      controller.abort();
    }
  });
});

Deno.test("nodin api (in process): reads for viewers (and anonymous with --anonymous-read), changes for admins", async () => {
  await withNodin({ anonymousRead: true }, async (api, nodin) => {
    nodin.sight({ source: "necon", mac, at: 1000, detail: "lease" });
    const anonymous = api.client(NodinService, "");
    assertEquals((await anonymous.listInventory({})).nodes.length, 1);
    assertEquals(Code[(await refusal(anonymous.createNode({ node: {} }))).code], Code[Code.Unauthenticated]);
    const viewer = api.client(NodinService, api.viewerToken);
    const [node] = (await viewer.listInventory({})).nodes;
    assertEquals((await viewer.listNodeHistory({ id: node.id })).entries.length, 2);
    for (
      const call of [
        viewer.enrolNode({ id: node.id }),
        viewer.retireNode({ id: node.id }),
        viewer.setPower({ id: node.id, action: "on" }),
        viewer.deleteNode({ id: node.id }),
        viewer.putEnrolmentRule({ rule: { name: "x", macPrefixes: ["02"] } }),
      ]
    ) {
      assertEquals(Code[(await refusal(call)).code], Code[Code.PermissionDenied]);
    }
    assertEquals((await viewer.getInventoryNode({ id: node.id })).node?.lifecycle, "discovered");
  });
});
