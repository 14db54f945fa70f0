import { SqliteStore } from "../store/sqlite.ts";
import { assertEquals } from "../testing/assert.ts";
import type { NodeRecord } from "./model.ts";
import { SqliteNodinRepository } from "./store_sqlite.ts";

function node(id: string): NodeRecord {
  return {
    id,
    name: id,
    labels: { rack: "a" },
    provider: "lab",
    providerRef: "",
    macs: ["02:00:00:00:61:00"],
    addresses: ["10.61.0.100"],
    architecture: "x64",
    firmware: "uefi",
    pxeArch: 7,
    bmc: { driver: "ipmi", address: "10.0.0.5:623", credentialRef: id },
    desiredPower: { state: "on", at: 1, evidence: "asked by admin", offMode: "soft" },
    observedPower: { state: "unknown", at: 1, evidence: "not polled yet" },
    lifecycle: "enrolled",
    lifecycleAt: 1,
    bootIntent: "install",
    enrolledBy: "",
    lastSeen: 2,
    sources: [{ source: "necon", firstSeen: 1, lastSeen: 2, detail: "lease 10.61.0.100 bound" }],
    created: 1,
    updated: 2,
  };
}

Deno.test("nodin store: nodes, rules and history survive a reopen; history is pruned by count and age", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-nodin-store-" });
  try {
    let store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    let repository = new SqliteNodinRepository(store);
    repository.saveNode(node("a"));
    repository.saveNode(node("b"));
    repository.deleteNode("b");
    repository.saveRule({
      id: "r1",
      name: "lab",
      priority: 10,
      enabled: true,
      macPrefixes: ["02:00:00"],
      pxeArchitectures: [7],
      labelSelector: "",
      setLabels: { role: "worker" },
      bootIntent: "install",
    });
    const entries = Array.from({ length: 5 }, (_, i) => ({
      nodeId: "a",
      at: 1000 + i,
      kind: "power" as const,
      message: `change ${i}`,
      actor: "power loop",
    }));
    repository.appendHistory([...entries, { ...entries[0], nodeId: "b", at: 10 }]);
    store.close();

    store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    repository = new SqliteNodinRepository(store);
    assertEquals(repository.loadNodes(), [node("a")]);
    assertEquals(repository.loadRules().map((r) => r.id), ["r1"]);
    assertEquals(repository.history("a", 2).map((e) => e.message), ["change 4", "change 3"]);
    const [, second] = repository.history("a", 2);
    assertEquals(repository.history("a", 10, second.seq).map((e) => e.message), [
      "change 2",
      "change 1",
      "change 0",
    ]);
    // b's one entry is too old; a keeps its three newest.
    assertEquals(repository.pruneHistory(3, 500), 3);
    assertEquals(repository.history("a", 10).map((e) => e.message), ["change 4", "change 3", "change 2"]);
    assertEquals(repository.history("b", 10), []);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
