// Many leases written straight into a stopped necon's store (as if that many clients had come by), for
// tests and the benchmark of a server with a full lease table.
import { DatabaseSync } from "node:sqlite";

export interface SeedOptions {
  subnetId: string;
  /** First address, as a number; leases take consecutive addresses from it. */
  first: number;
  count: number;
  /** MAC of lease i is macBase + i. */
  macBase: number;
  leaseSeconds?: number;
}

/** Inserts the leases (bound, named "seed-<i>") into `sqlitePath`, whose necon tables must exist. */
export function seedLeases(sqlitePath: string, options: SeedOptions): void {
  const db = new DatabaseSync(sqlitePath);
  try {
    const now = Date.now();
    const insert = db.prepare(
      `INSERT OR REPLACE INTO necon_leases (ip, subnet_id, client_key, mac, hostname, state, expires_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'bound', ?, ?)`,
    );
    db.exec("BEGIN");
    for (let i = 0; i < options.count; i++) {
      const mac = options.macBase + i;
      insert.run(
        options.first + i,
        options.subnetId,
        `mac:${mac.toString(16).padStart(12, "0")}`,
        mac,
        `seed-${i}`,
        now + (options.leaseSeconds ?? 3600) * 1000,
        now,
      );
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}
