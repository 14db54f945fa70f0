import type { SqliteStore } from "../store/sqlite.ts";
import type { BootSettings } from "./boot_settings.ts";
import type { StarterRecord } from "./starter.ts";

/** What bofied remembers across restarts besides its files: the page's boot settings and the starter. */
export interface BofiedStateRepository {
  loadBootSettings(): BootSettings | undefined;
  saveBootSettings(settings: BootSettings): void;
  /** Set once, on the first start, whether or not the starter tree went in. */
  loadStarter(): StarterRecord | undefined;
  saveStarter(record: StarterRecord): void;
}

const migrations = [{
  version: 1,
  sql: `CREATE TABLE bofied_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );`,
}];

/** One row per key, each a JSON document. */
export class SqliteBofiedStateRepository implements BofiedStateRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("bofied.state", migrations);
  }

  loadBootSettings(): BootSettings | undefined {
    return this.#load("boot-settings") as BootSettings | undefined;
  }

  saveBootSettings(settings: BootSettings): void {
    this.#save("boot-settings", settings);
  }

  loadStarter(): StarterRecord | undefined {
    return this.#load("starter") as StarterRecord | undefined;
  }

  saveStarter(record: StarterRecord): void {
    this.#save("starter", record);
  }

  #load(key: string): unknown {
    const row = this.store.statement("SELECT value FROM bofied_state WHERE key = ?").get(key);
    return row ? JSON.parse(String(row.value)) : undefined;
  }

  #save(key: string, value: unknown): void {
    this.store.statement("INSERT OR REPLACE INTO bofied_state (key, value) VALUES (?, ?)")
      .run(key, JSON.stringify(value));
  }
}
