// Child process for the group-commit test: many commits in flight at once; "commit N" goes to stderr once
// transaction N returned (written, not yet flushed) and "ack N" to stdout once its `durable` resolved,
// like necon's ACK. Every third commit may flush inline (a lone client).
import { SqliteStore } from "../sqlite.ts";

const store = SqliteStore.open(Deno.args[0]);
const count = Number(Deno.args[1]);
store.migrate("grouped", [{ version: 1, sql: "CREATE TABLE grouped (id INTEGER PRIMARY KEY)" }]);
const insert = store.statement("INSERT INTO grouped (id) VALUES (?)");
const encoder = new TextEncoder();
const acked: Promise<void>[] = [];
for (let id = 1; id <= count; id++) {
  const { durable } = store.transactionDurableLater(() => insert.run(id), id % 3 === 0);
  Deno.stderr.writeSync(encoder.encode(`commit ${id}\n`));
  acked.push(durable.then(() => void Deno.stdout.writeSync(encoder.encode(`ack ${id}\n`))));
  // Let finished flushes in now and then, so commits land both during and between flushes.
  if (id % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
}
await Promise.all(acked);
store.close();
