import type { SqliteStore } from "../store/sqlite.ts";
import type { BuildRecord, BuildRepository } from "./model.ts";

const migrations = [{
  version: 1,
  sql: `CREATE TABLE builders_builds (
    id TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX builders_builds_created ON builders_builds (created);`,
}];

/** Builds as JSON documents: a build is read and written whole, and its steps are never queried. */
export class SqliteBuildRepository implements BuildRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("builders", migrations);
  }

  save(build: BuildRecord): void {
    this.store.statement(
      "INSERT INTO builders_builds (id, created, record) VALUES (?, ?, ?) " +
        "ON CONFLICT (id) DO UPDATE SET record = excluded.record",
    ).run(build.id, build.createdAt, JSON.stringify(build));
  }

  get(id: string): BuildRecord | undefined {
    const row = this.store.statement("SELECT record FROM builders_builds WHERE id = ?").get(id);
    return row ? JSON.parse(String(row.record)) : undefined;
  }

  list(limit: number): BuildRecord[] {
    return this.store.statement("SELECT record FROM builders_builds ORDER BY created DESC, id LIMIT ?")
      .all(limit).map((row) => JSON.parse(String(row.record)));
  }

  delete(id: string): void {
    this.store.statement("DELETE FROM builders_builds WHERE id = ?").run(id);
  }
}
