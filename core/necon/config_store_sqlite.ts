import type { SqliteStore } from "../store/sqlite.ts";
import type { NeconConfigInput } from "./config.ts";

const migrations = [{
  version: 1,
  sql: `CREATE TABLE necon_config (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );`,
}];

/** The operator's configuration as written (JSON), one row; compiled again on every start. */
export class SqliteNeconConfigRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("necon.config", migrations);
  }

  load(): NeconConfigInput | undefined {
    const row = this.store.statement("SELECT document FROM necon_config WHERE id = 1").get();
    return row ? JSON.parse(String(row.document)) : undefined;
  }

  save(config: NeconConfigInput): void {
    this.store.statement("INSERT OR REPLACE INTO necon_config (id, document, updated_at) VALUES (1, ?, ?)")
      .run(JSON.stringify(config), Date.now());
  }
}
