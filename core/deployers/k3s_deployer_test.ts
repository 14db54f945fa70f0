import { join } from "node:path";
import { readAppliedInventory } from "../deploy/k3s/applied_state.ts";
import type { K3sDeployResult } from "../deploy/k3s/deploy.ts";
import type { K3sHost, K3sInventory } from "../deploy/k3s/inventory.ts";
import { SshError } from "../deploy/ssh/errors.ts";
import { KnownHosts } from "../deploy/ssh/known_hosts.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { InputError } from "../errors/input_error.ts";
import type { PrepareInput } from "./deployer.ts";
import { hostsOf, k3sDeployer } from "./k3s_deployer.ts";
import type { InventoryNode } from "./model.ts";
import { ensureServiceKey } from "./ssh_key.ts";
import { SqliteDeploymentRepository } from "./store_sqlite.ts";
import { type DeployTarget, toTargets } from "./targets.ts";

/** A loopback port nothing listens on: every host there is refused at once (an "unreachable" host). */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const node = (id: string, name: string, role: string, port: number): InventoryNode => ({
  id,
  name,
  labels: { role, "ctpf.io/ssh-port": String(port) },
  provider: "lab",
  addresses: ["127.0.0.1"],
  architecture: "x64",
  lifecycle: "enrolled",
});

function storedHost(name: string, overlayAddress: string, port: number, keyFile: string): K3sHost {
  return {
    name,
    overlayAddress,
    arch: "x86_64",
    ssh: {
      name,
      address: "127.0.0.1",
      port,
      identityFiles: [keyFile],
      user: "root",
      agent: false,
      connectTimeoutMs: 5_000,
    },
  } as K3sHost;
}

/** What an inventory has besides its hosts (an older run may have written it so). */
const complete = (appliedPath: string) => ({
  cluster: "ctpf",
  tokenFile: join(appliedPath, "..", "token"),
  version: "v1.31.4+k3s1",
});

async function withCluster(
  test: (context: {
    appliedPath: string;
    keyFile: string;
    deploy(nodes: InventoryNode[], serverSelector: string): Promise<{ hosts: [string, string, string][] }>;
  }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-k3s-deployer-" });
  const store = SqliteStore.open(":memory:");
  try {
    const airgap = join(dir, "airgap");
    await Deno.mkdir(airgap);
    await Deno.writeTextFile(join(airgap, "k3s"), "not run: no host is reached\n");
    await Deno.writeTextFile(join(airgap, "k3s-airgap-images-amd64.tar"), "");
    const repository = new SqliteDeploymentRepository(store);
    const deployer = k3sDeployer({
      stateRoot: join(dir, "state"),
      defaultOverlayNetwork: "10.200.0.0/24",
      addresses: repository,
      airgapDir: airgap,
      concurrency: 4,
      hostTimeoutMs: 20_000,
    });
    const knownHosts = new KnownHosts(join(dir, "known_hosts"));
    const key = ensureServiceKey(join(dir, "key"));
    const deploy = async (nodes: InventoryNode[], serverSelector: string) => {
      repository.keepOverlayAddresses(
        "10.200.0.0/24",
        new Map(nodes.map((entry, index) => [entry.id, `10.200.0.${10 + index}`])),
      );
      const targets = toTargets(nodes, { sshUserLabel: "ctpf.io/ssh-user", defaultSshUser: "root" });
      const input: PrepareInput = {
        targets,
        options: { k3s: { serverSelector } },
        select: (selector) => {
          const [key, value] = selector.split("=");
          return Promise.resolve(new Set(nodes.filter((n) => n.labels[key] === value).map((n) => n.id)));
        },
        hostSpec: (target: DeployTarget) => ({
          name: target.hostName,
          address: target.address,
          port: target.port,
          user: target.sshUser,
          identityFiles: [key.privateKeyFile],
          agent: false,
          connectTimeoutMs: 5_000,
        }),
      };
      const prepared = await deployer.prepare(input);
      const outcome = await prepared.run({ plan: false, knownHosts, onLog: () => {} });
      return {
        hosts: outcome.hosts.map((
          host,
        ): [string, string, string] => [host.hostName, host.state, host.errorKind]),
      };
    };
    await test({
      keyFile: key.privateKeyFile,
      appliedPath: join(dir, "state", "ctpf", "inventory.json"),
      deploy,
    });
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("k3s deployer: every run records what it applied (0600), a failed one too; removed hosts whose nodes were not deleted are kept", async () => {
  await withCluster(async ({ appliedPath, keyFile, deploy }) => {
    const port = closedPort();
    await Deno.mkdir(join(appliedPath, ".."), { recursive: true });
    // Before: server s1, agents old-agent (will leave) and kept; now s1, kept and new-agent.
    const before: Partial<K3sInventory> = {
      ...complete(appliedPath),
      servers: [
        storedHost("s1", "10.200.0.10", port, keyFile),
        storedHost("old-server", "10.200.0.20", port, keyFile),
      ],
      agents: [
        storedHost("old-agent", "10.200.0.21", port, keyFile),
        storedHost("kept", "10.200.0.11", port, keyFile),
      ],
    };
    await Deno.writeTextFile(appliedPath, JSON.stringify(before));
    const run = await deploy([
      node("n1", "s1", "server", port),
      node("n2", "kept", "agent", port),
      node("n3", "new-agent", "agent", port),
    ], "role=server");
    // Every host is refused: the run fails, yet what it applied is recorded, new-agent included.
    const applied = (await readAppliedInventory(appliedPath))!;
    assertEquals(
      [applied.servers.map((h) => h.name), applied.agents.map((h) => h.name)],
      // The first server is down, so no node was deleted: old-server (left running) and old-agent
      // (unreachable, but still a node of the cluster) are both tried again next run.
      [["s1", "old-server"], ["kept", "new-agent", "old-agent"]],
    );
    assertEquals((await Deno.stat(appliedPath)).mode! & 0o777, 0o600);
    assertEquals(run.hosts.find(([name]) => name === "old-agent"), ["old-agent", "failed", "skipped"]);
    assertEquals(run.hosts.find(([name]) => name === "old-server"), ["old-server", "failed", "skipped"]);
    assertEquals(run.hosts.find(([name]) => name === "s1"), ["s1", "failed", "unreachable"]);
  });
});

Deno.test("k3s deployer: the cluster's first server stays first when a server whose name sorts before it is added", async () => {
  await withCluster(async ({ appliedPath, keyFile, deploy }) => {
    const port = closedPort();
    await Deno.mkdir(join(appliedPath, ".."), { recursive: true });
    await Deno.writeTextFile(
      appliedPath,
      JSON.stringify({
        ...complete(appliedPath),
        servers: [storedHost("m-server", "10.200.0.10", port, keyFile)],
        agents: [storedHost("z-agent", "10.200.0.11", port, keyFile)],
      }),
    );
    // a-server sorts first; before, the run refused ("the first server was m-server").
    await deploy([
      node("n1", "m-server", "server", port),
      node("n2", "z-agent", "agent", port),
      node("n3", "a-server", "server", port),
    ], "role=server");
    assertEquals((await readAppliedInventory(appliedPath))!.servers.map((h) => h.name), [
      "m-server",
      "a-server",
    ]);
    // No selector: one server, the same one; a-server would become an agent in place, which is refused
    // (its k3s.service would keep running beside k3s-agent), and nothing is recorded.
    const refused = await assertRejects(
      () => deploy([node("n1", "m-server", "server", port), node("n3", "a-server", "server", port)], ""),
      InputError,
    );
    assertMatch(refused.message, /a-server was a server: a node does not change role in place/);
    assertEquals((await readAppliedInventory(appliedPath))!.servers.map((h) => h.name), [
      "m-server",
      "a-server",
    ]);
  });
});

Deno.test("k3s deployer: a removed host's record: unreachable counts as gone (with a note), other failures stay failed", () => {
  const outcome = (host: string, kind?: "unreachable" | "command") => ({
    host,
    ok: !kind,
    error: kind ? new SshError(kind, host, "no") : undefined,
    steps: [],
    changed: false,
    log: [],
    durationMs: 1,
  });
  const result = {
    hosts: [outcome("gone", "unreachable"), outcome("broken", "command")],
  } as unknown as K3sDeployResult;
  const hosts = hostsOf(result, new Map(), new Map(), undefined);
  assertEquals(hosts.map((h) => [h.hostName, h.removed, h.state, h.errorKind]), [
    ["gone", true, "ok", ""],
    ["broken", true, "failed", "command"],
  ]);
  assertEquals(hosts[0].steps.map((step) => step.detail), ["host unreachable, taken as gone: gone: no"]);
});
