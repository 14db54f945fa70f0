import { SqliteStore } from "../store/sqlite.ts";
import { assertEquals } from "../testing/assert.ts";
import { deployersMigrations, SqliteDeploymentRepository } from "./store_sqlite.ts";

Deno.test("host names: kept per node (the first stays), seeded from the deployments made before they were kept", () => {
  const store = SqliteStore.open(":memory:");
  try {
    store.migrate("deployers", deployersMigrations.slice(0, 1));
    const host = (nodeId: string, hostName: string) => ({ nodeId, hostName });
    const record = (
      id: string,
      created: number,
      plan: boolean,
      hosts: { nodeId: string; hostName: string }[],
    ) =>
      store.statement("INSERT INTO deployers_deployments (id, created, record) VALUES (?, ?, ?)")
        .run(id, created, JSON.stringify({ id, plan, hosts }));
    record("old", 1, false, [host("n1", "node-aa11"), host("n2", "web2")]);
    record("new", 2, false, [host("n1", "printer"), host("", "left-mesh")]);
    record("plan", 3, true, [host("n3", "planned-only")]);
    const repository = new SqliteDeploymentRepository(store);
    assertEquals([...repository.hostNames()].sort(), [["n1", "printer"], ["n2", "web2"]]);
    repository.keepHostNames(new Map([["n1", "renamed"], ["n3", "db"]]));
    assertEquals([...repository.hostNames()].sort(), [["n1", "printer"], ["n2", "web2"], ["n3", "db"]]);
  } finally {
    store.close();
  }
});

Deno.test("deployments: lists read them without logs (those saved before the summaries were kept too)", () => {
  const store = SqliteStore.open(":memory:");
  try {
    store.migrate("deployers", deployersMigrations.slice(0, 2));
    const record = (id: string, created: number) => ({
      id,
      createdAt: created,
      plan: false,
      log: ["started"],
      hosts: [{ nodeId: "n1", hostName: "web1", log: ["line 1", "line 2"], state: "ok" }],
    });
    store.statement("INSERT INTO deployers_deployments (id, created, record) VALUES (?, ?, ?)")
      .run("before", 1, JSON.stringify(record("before", 1)));
    const repository = new SqliteDeploymentRepository(store);
    repository.save(record("after", 2) as never);
    const summaries = repository.summaries(10);
    assertEquals(summaries.map((d) => [d.id, d.log, d.hosts.map((h) => [h.hostName, h.state, h.log])]), [
      ["after", [], [["web1", "ok", []]]],
      ["before", [], [["web1", "ok", []]]],
    ]);
    // The whole record keeps them.
    assertEquals(repository.get("before")!.hosts[0].log, ["line 1", "line 2"]);
    assertEquals(repository.list(10)[0].log, ["started"]);
  } finally {
    store.close();
  }
});
