import { join } from "node:path";
import { KnownHosts } from "../deploy/ssh/known_hosts.ts";
import { Logger, LogSink } from "../log/logger.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { Deployers } from "./deployers.ts";
import { k3sDeployer } from "./k3s_deployer.ts";
import { finishedStates, type InventoryNode } from "./model.ts";
import { SqliteDeploymentRepository } from "./store_sqlite.ts";

/** A loopback port nothing listens on: the runs these deployments queue fail at once. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("deployers: a node nodin renames keeps the host name it was deployed under (a plan keeps none); lists leave logs out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-deployers-" });
  const store = SqliteStore.open(":memory:");
  const port = closedPort();
  const nodes: InventoryNode[] = ["id-a", "id-b"].map((id) => ({
    id,
    name: `node-${id.slice(3)}`,
    labels: { "ctpf.io/ssh-port": String(port) },
    provider: "lab",
    addresses: ["127.0.0.1"],
    architecture: "x64",
    lifecycle: "enrolled",
  }));
  const repository = new SqliteDeploymentRepository(store);
  repository.keepOverlayAddresses("10.200.0.0/24", new Map([["id-a", "10.200.0.1"], ["id-b", "10.200.0.2"]]));
  const deployers = new Deployers({
    log: new Logger(new LogSink({ level: "error", format: "logfmt", write: () => {} }), "deployers"),
    deployers: [k3sDeployer({
      stateRoot: join(dir, "k3s"),
      defaultOverlayNetwork: "10.200.0.0/24",
      addresses: repository,
      airgapDir: "",
      concurrency: 2,
      hostTimeoutMs: 10_000,
    })],
    // nodin's contract: a selector ("" matches all) plus nodes named by id; these requests name them.
    targets: {
      nodes: (selector, ids) =>
        Promise.resolve(
          structuredClone(nodes.filter((node) => selector === "" && !ids.length || ids.includes(node.id))),
        ),
    },
    targetSettings: { sshUserLabel: "ctpf.io/ssh-user", defaultSshUser: "root" },
    repository,
    hostNames: repository,
    knownHosts: new KnownHosts(join(dir, "known_hosts")),
    hostSpec: (target) => ({
      name: target.hostName,
      address: target.address,
      port: target.port,
      agent: false,
    }),
  });
  try {
    const request = {
      kind: "k3s",
      labelSelector: "role=none",
      nodeIds: ["id-a", "id-b"],
      k3s: { version: "v1.31.4+k3s1" },
    };
    await deployers.create({ ...request, plan: true }, "test");
    await deployers.create({ ...request, nodeIds: ["id-a"], plan: false }, "test");
    // nodin gives both nodes their DHCP hostnames.
    nodes[0].name = "printer-room";
    nodes[1].name = "printer-room";
    assertEquals((await deployers.targets("")).map((t) => t.hostName), ["node-a", "printer-room"]);
    const again = await deployers.create({ ...request, plan: false }, "test");
    assertEquals(again.hosts.map((host) => host.hostName), ["node-a", "printer-room"]);
    // id-b was only planned before: the name it has now is the one it keeps.
    nodes[1].name = "other";
    assertEquals((await deployers.targets("")).map((t) => t.hostName), ["node-a", "printer-room"]);
    // Once run, the deployments have log lines; the list leaves them out (get has them).
    for (
      let wait = 0;
      wait < 200 && deployers.list().some((d) => !finishedStates.includes(d.state));
      wait++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const listed = deployers.list();
    assertEquals(listed.map((d) => [d.state, d.log.length, ...d.hosts.map((h) => h.log.length)]), [
      ["failed", 0, 0, 0],
      ["failed", 0, 0],
      ["failed", 0, 0, 0],
    ]);
    assert(deployers.get(again.id).log.length > 0 && deployers.get(again.id).hosts[0].log.length > 0);
  } finally {
    await deployers.stop();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
