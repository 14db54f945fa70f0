import { DatabaseSync, type StatementSync } from "node:sqlite";
import { WalSync } from "./wal_sync.ts";

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a committed transaction is on
 * disk before commit returns and anything a protocol acknowledges after `transaction()` survives kill -9
 * and power loss. Each aggregate (auth, leases, nodes …) owns its tables and migrations and implements its
 * own narrow repository interface on top of `SqliteStore`; a distributed backend implements the same
 * interfaces instead.
 */
export interface Migration {
  /** 1, 2, 3 … applied in order, each exactly once. */
  version: number;
  sql: string;
}

export class SqliteStore {
  readonly db: DatabaseSync;
  #statements = new Map<string, StatementSync>();
  readonly #walSync: WalSync | undefined;

  private constructor(readonly path: string) {
    this.db = new DatabaseSync(path);
    this.#walSync = path === ":memory:" ? undefined : new WalSync(`${path}-wal`);
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = FULL");
    this.db.exec("PRAGMA foreign_keys = ON");
    // Several CTPF binaries on one node may share the file; wait for a writer instead of failing.
    this.db.exec("PRAGMA busy_timeout = 5000");
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        component TEXT NOT NULL,
        version INTEGER NOT NULL,
        applied_at TEXT NOT NULL,
        PRIMARY KEY (component, version)
      )`,
    );
  }

  /** Opens (creating with mode 0600: it holds credentials) the store file at `path`. */
  static open(path: string): SqliteStore {
    if (path !== ":memory:") {
      Deno.writeFileSync(path, new Uint8Array(), { append: true, mode: 0o600 });
      Deno.chmodSync(path, 0o600);
    }
    return new SqliteStore(path);
  }

  /** Applies the component's migrations that have not run yet, each in its own transaction. */
  migrate(component: string, migrations: Migration[]): number {
    const versions = migrations.map((m) => m.version);
    versions.forEach((version, i) => {
      if (version !== i + 1) throw new Error(`store: ${component} migrations must be numbered 1..n in order`);
    });
    const isApplied = this.db.prepare("SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?");
    let count = 0;
    for (const migration of migrations) {
      // Checked inside the write transaction: another process sharing the file may migrate at the same time.
      const applied = this.transaction(() => {
        if (isApplied.get(component, migration.version)) return false;
        this.db.exec(migration.sql);
        this.db.prepare("INSERT INTO schema_migrations (component, version, applied_at) VALUES (?, ?, ?)")
          .run(component, migration.version, new Date().toISOString());
        return true;
      });
      if (applied) count++;
    }
    return count;
  }

  /** Prepared statements are cached by their text: hot paths pay the SQL parse once. */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one IMMEDIATE transaction; durable when this returns. Not re-entrant. */
  transaction<T>(work: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Runs `work` in one IMMEDIATE transaction whose commit does not wait for the disk: `durable` resolves
   * once it is there. Commits made while a flush runs share the next one (group commit), so many writers
   * pay one fdatasync. `inline`: with no flush running, flush before returning (a lone writer waits less
   * so than through a thread hand-off). Acknowledge nothing to anyone before `durable` resolves.
   */
  transactionDurableLater<T>(work: () => T, inline = false): { result: T; durable: Promise<void> } {
    if (!this.#walSync) return { result: this.transaction(work), durable: Promise.resolve() };
    this.db.exec("PRAGMA synchronous = NORMAL");
    let result: T;
    try {
      result = this.transaction(work);
    } finally {
      this.db.exec("PRAGMA synchronous = FULL");
    }
    return { result, durable: this.#walSync.request(inline) };
  }

  close(): void {
    this.#walSync?.close();
    this.#statements.clear();
    this.db.close();
  }
}
