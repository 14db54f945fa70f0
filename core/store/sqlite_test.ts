import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { SqliteStore } from "./sqlite.ts";

async function withTempDir(work: (dir: string) => Promise<void> | void) {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-store-" });
  try {
    await work(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("store: WAL, full sync, private file mode", () =>
  withTempDir((dir) => {
    const store = SqliteStore.open(`${dir}/s.sqlite`);
    assertEquals(store.db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
    assertEquals(store.db.prepare("PRAGMA synchronous").get()?.synchronous, 2);
    assertEquals(Deno.statSync(`${dir}/s.sqlite`).mode! & 0o777, 0o600);
    store.close();
  }));

Deno.test("store: migrations apply once, in order, per component", () =>
  withTempDir((dir) => {
    const migrations = [
      { version: 1, sql: "CREATE TABLE a (x INTEGER)" },
      { version: 2, sql: "ALTER TABLE a ADD COLUMN y TEXT" },
    ];
    let store = SqliteStore.open(`${dir}/s.sqlite`);
    assertEquals(store.migrate("alpha", migrations.slice(0, 1)), 1);
    store.close();
    store = SqliteStore.open(`${dir}/s.sqlite`);
    assertEquals(store.migrate("alpha", migrations), 1);
    assertEquals(store.migrate("alpha", migrations), 0);
    assertEquals(store.migrate("beta", [{ version: 1, sql: "CREATE TABLE b (z INTEGER)" }]), 1);
    store.db.prepare("INSERT INTO a (x, y) VALUES (1, 'one')").run();
    assertThrows(() => store.migrate("gamma", [{ version: 2, sql: "SELECT 1" }]));
    store.close();
  }));

Deno.test("store: a failed migration or transaction leaves nothing behind", () =>
  withTempDir((dir) => {
    const store = SqliteStore.open(`${dir}/s.sqlite`);
    assertThrows(() =>
      store.migrate("broken", [{
        version: 1,
        sql: "CREATE TABLE t (x INTEGER); INSERT INTO nowhere VALUES (1)",
      }])
    );
    assertEquals(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").all().length, 0);
    store.migrate("ok", [{ version: 1, sql: "CREATE TABLE t (x INTEGER)" }]);
    assertThrows(() =>
      store.transaction(() => {
        store.db.prepare("INSERT INTO t VALUES (1)").run();
        throw new Error("abort");
      })
    );
    assertEquals(store.db.prepare("SELECT count(*) AS n FROM t").get()?.n, 0);
    store.close();
  }));

Deno.test("store: kill -9 loses no write acknowledged after commit (fsync itself is guarded by the PRAGMA test)", async () =>
  await withTempDir(async (dir) => {
    const path = `${dir}/durable.sqlite`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        new URL("./testdata/acked_writer.ts", import.meta.url).pathname,
        path,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    let lastAck = 0, text = "";
    const decoder = new TextDecoder();
    const reader = child.stdout.getReader();
    const deadline = Date.now() + 30_000;
    // Kill at an arbitrary moment once a few hundred writes were acknowledged.
    while (lastAck < 300 && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const acks = text.match(/ack (\d+)\n/g);
      if (acks) lastAck = Number(acks[acks.length - 1].slice(4, -1));
    }
    child.kill("SIGKILL");
    // Acks already in the pipe when the kill landed count too.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const status = await child.status;
    assertEquals(status.signal, "SIGKILL");
    const acked = [...text.matchAll(/ack (\d+)\n/g)].map((m) => Number(m[1]));
    assert(acked.length >= 300, `only ${acked.length} acks before the deadline`);
    const store = SqliteStore.open(path);
    const ids = new Set(store.db.prepare("SELECT id FROM acked").all().map((row) => Number(row.id)));
    store.close();
    const lost = acked.filter((id) => !ids.has(id));
    assertEquals(lost, [], `acknowledged but lost: ${lost.slice(0, 10)}`);
  }));
