// Child process for the durability test: commits rows one transaction at a time and prints "ack N"
// only after each commit returned, like a DHCP server that ACKs after storing the lease.
import { SqliteStore } from "../sqlite.ts";

const store = SqliteStore.open(Deno.args[0]);
store.migrate("acked", [{ version: 1, sql: "CREATE TABLE acked (id INTEGER PRIMARY KEY, body TEXT)" }]);
const insert = store.statement("INSERT INTO acked (id, body) VALUES (?, ?)");
const encoder = new TextEncoder();
for (let id = 1; id <= 1_000_000; id++) {
  store.transaction(() => insert.run(id, `lease ${id}`));
  Deno.stdout.writeSync(encoder.encode(`ack ${id}\n`));
}
