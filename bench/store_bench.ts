// Platform numbers DESIGN.md relies on, re-measured on every `deno task bench`: durable single writes
// (what a DHCP ACK waits for), batched writes, and point reads in the embedded store.
import { SqliteStore } from "../core/store/sqlite.ts";

const dir = Deno.makeTempDirSync({ prefix: "ctpf-bench-" });
const store = SqliteStore.open(`${dir}/bench.sqlite`);
store.migrate("bench", [{ version: 1, sql: "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)" }]);
const put = store.statement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
const get = store.statement("SELECT v FROM kv WHERE k = ?");
let key = 0;

Deno.bench("store: one durable write per transaction", { group: "store" }, () => {
  store.transaction(() => put.run(++key % 10_000, "lease"));
});

Deno.bench("store: 1000 writes in one transaction", { group: "store" }, () => {
  store.transaction(() => {
    for (let i = 0; i < 1000; i++) put.run(++key % 10_000, "lease");
  });
});

Deno.bench("store: point read", { group: "store" }, () => {
  get.get(++key % 10_000);
});

globalThis.addEventListener("unload", () => {
  store.close();
  Deno.removeSync(dir, { recursive: true });
});
