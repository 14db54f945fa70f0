import type { SqliteStore } from "../store/sqlite.ts";
import type { Lease, LeaseRepository, LeaseState } from "./lease.ts";

const migrations = [{
  version: 1,
  sql: `CREATE TABLE necon_leases (
    ip INTEGER PRIMARY KEY,
    subnet_id TEXT NOT NULL,
    client_key TEXT NOT NULL,
    mac INTEGER NOT NULL,
    hostname TEXT,
    state TEXT NOT NULL CHECK (state IN ('bound', 'released', 'expired', 'declined')),
    expires_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX necon_leases_client ON necon_leases (client_key);`,
}];

export class SqliteLeaseRepository implements LeaseRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("necon.leases", migrations);
  }

  loadAll(): Lease[] {
    return this.store.statement("SELECT * FROM necon_leases").all().map((row) => ({
      ip: Number(row.ip),
      subnetId: String(row.subnet_id),
      clientKey: String(row.client_key),
      mac: Number(row.mac),
      hostname: row.hostname === null ? undefined : String(row.hostname),
      state: row.state as LeaseState,
      expiresAt: Number(row.expires_at),
      updatedAt: Number(row.updated_at),
    }));
  }

  save(leases: Lease[]): void {
    if (leases.length === 0) return;
    this.store.transaction(() => this.#upsert(leases));
  }

  saveGrouped(leases: Lease[], inline: boolean): Promise<void> {
    if (leases.length === 0) return Promise.resolve();
    return this.store.transactionDurableLater(() => this.#upsert(leases), inline).durable;
  }

  #upsert(leases: Lease[]): void {
    const upsert = this.store.statement(
      `INSERT OR REPLACE INTO necon_leases (ip, subnet_id, client_key, mac, hostname, state, expires_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const l of leases) {
      upsert.run(l.ip, l.subnetId, l.clientKey, l.mac, l.hostname ?? null, l.state, l.expiresAt, l.updatedAt);
    }
  }
}
