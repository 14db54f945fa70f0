import type { SqliteStore } from "../store/sqlite.ts";
import {
  defaultSettings,
  type LiwascRepository,
  type LiwascSettings,
  type NodeRecord,
  type PortRecord,
  type ScanKind,
  type ScanRecord,
  type WakeRecord,
} from "./model.ts";

// 64 rows × 9 values: well under SQLite's 32766 parameters per statement.
const portRowsPerInsert = 64;

const migrations = [{
  version: 1,
  sql: `CREATE TABLE liwasc_scans (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('node', 'port')),
    state TEXT NOT NULL,
    started INTEGER NOT NULL,
    finished INTEGER,
    target TEXT NOT NULL,
    ports TEXT NOT NULL,
    found INTEGER NOT NULL,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    error TEXT,
    started_by TEXT NOT NULL
  );
  CREATE INDEX liwasc_scans_started ON liwasc_scans (started);
  CREATE TABLE liwasc_nodes (
    mac INTEGER PRIMARY KEY,
    ips TEXT NOT NULL,
    interface TEXT NOT NULL,
    vendor TEXT NOT NULL,
    hostname TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    online INTEGER NOT NULL,
    conflicts_with TEXT NOT NULL
  );
  CREATE TABLE liwasc_ports (
    ip TEXT NOT NULL,
    protocol TEXT NOT NULL CHECK (protocol IN ('tcp', 'udp')),
    port INTEGER NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    service TEXT,
    detail TEXT,
    scan_id TEXT NOT NULL,
    seen INTEGER NOT NULL,
    PRIMARY KEY (ip, protocol, port)
  );
  CREATE TABLE liwasc_wakes (
    id TEXT PRIMARY KEY,
    mac INTEGER NOT NULL,
    ip TEXT NOT NULL,
    interface TEXT NOT NULL,
    state TEXT NOT NULL,
    packets_sent INTEGER NOT NULL,
    probes INTEGER NOT NULL,
    started INTEGER NOT NULL,
    finished INTEGER,
    error TEXT
  );
  CREATE INDEX liwasc_wakes_mac ON liwasc_wakes (mac, started);
  CREATE TABLE liwasc_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );`,
}];

type Row = Record<string, unknown>;
const optionalText = (value: unknown) => value === null || value === undefined ? undefined : String(value);
const optionalNumber = (value: unknown) => value === null || value === undefined ? undefined : Number(value);

function scanOf(row: Row): ScanRecord {
  return {
    id: String(row.id),
    kind: row.kind as ScanKind,
    state: row.state as ScanRecord["state"],
    started: Number(row.started),
    finished: optionalNumber(row.finished),
    target: String(row.target),
    ports: String(row.ports),
    found: Number(row.found),
    done: Number(row.done),
    total: Number(row.total),
    error: optionalText(row.error),
    startedBy: String(row.started_by),
  };
}

function wakeOf(row: Row): WakeRecord {
  return {
    id: String(row.id),
    mac: Number(row.mac),
    ip: String(row.ip),
    interface: String(row.interface),
    state: row.state as WakeRecord["state"],
    packetsSent: Number(row.packets_sent),
    probes: Number(row.probes),
    started: Number(row.started),
    finished: optionalNumber(row.finished),
    error: optionalText(row.error),
  };
}

export class SqliteLiwascRepository implements LiwascRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("liwasc", migrations);
  }

  saveScan(scan: ScanRecord): void {
    this.store.statement(
      `INSERT OR REPLACE INTO liwasc_scans
       (id, kind, state, started, finished, target, ports, found, done, total, error, started_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      scan.id,
      scan.kind,
      scan.state,
      scan.started,
      scan.finished ?? null,
      scan.target,
      scan.ports,
      scan.found,
      scan.done,
      scan.total,
      scan.error ?? null,
      scan.startedBy,
    );
  }

  listScans(kind: ScanKind | undefined, limit: number): ScanRecord[] {
    const rows = kind
      ? this.store.statement("SELECT * FROM liwasc_scans WHERE kind = ? ORDER BY started DESC LIMIT ?").all(
        kind,
        limit,
      )
      : this.store.statement("SELECT * FROM liwasc_scans ORDER BY started DESC LIMIT ?").all(limit);
    return rows.map(scanOf);
  }

  saveNodes(nodes: NodeRecord[]): void {
    if (nodes.length === 0) return;
    const upsert = this.store.statement(
      `INSERT OR REPLACE INTO liwasc_nodes
       (mac, ips, interface, vendor, hostname, first_seen, last_seen, online, conflicts_with)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.store.transaction(() => {
      for (const node of nodes) {
        upsert.run(
          node.mac,
          JSON.stringify(node.ips),
          node.interface,
          node.vendor,
          node.hostname,
          node.firstSeen,
          node.lastSeen,
          node.online ? 1 : 0,
          JSON.stringify(node.conflictsWith),
        );
      }
    });
  }

  loadNodes(): NodeRecord[] {
    return this.store.statement("SELECT * FROM liwasc_nodes ORDER BY mac").all().map((row) => ({
      mac: Number(row.mac),
      ips: JSON.parse(String(row.ips)),
      interface: String(row.interface),
      vendor: String(row.vendor),
      hostname: String(row.hostname),
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
      online: Number(row.online) === 1,
      conflictsWith: JSON.parse(String(row.conflicts_with)),
    }));
  }

  savePorts(ports: PortRecord[]): void {
    if (ports.length === 0) return;
    const values = (p: PortRecord) => [
      p.ip,
      p.protocol,
      p.port,
      p.state,
      p.reason,
      p.service ?? null,
      p.detail ?? null,
      p.scanId,
      p.seen,
    ];
    // Rows go in groups of portRowsPerInsert: one statement per group costs a fraction of one per row.
    this.store.transaction(() => {
      let next = 0;
      for (; next + portRowsPerInsert <= ports.length; next += portRowsPerInsert) {
        this.#portUpsert(portRowsPerInsert).run(
          ...ports.slice(next, next + portRowsPerInsert).flatMap(values),
        );
      }
      for (; next < ports.length; next++) this.#portUpsert(1).run(...values(ports[next]));
    });
  }

  #portUpsert(rows: number) {
    return this.store.statement(
      // An update in place where the port is known: REPLACE would delete and re-insert the row and its key.
      `INSERT INTO liwasc_ports
       (ip, protocol, port, state, reason, service, detail, scan_id, seen) VALUES ${
        Array(rows).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")
      }
       ON CONFLICT (ip, protocol, port) DO UPDATE SET state = excluded.state, reason = excluded.reason,
       service = excluded.service, detail = excluded.detail, scan_id = excluded.scan_id, seen = excluded.seen`,
    );
  }

  loadPorts(ip?: string): PortRecord[] {
    const rows = ip
      ? this.store.statement("SELECT * FROM liwasc_ports WHERE ip = ? ORDER BY protocol, port").all(ip)
      : this.store.statement("SELECT * FROM liwasc_ports ORDER BY ip, protocol, port").all();
    return rows.map((row) => ({
      ip: String(row.ip),
      protocol: row.protocol as PortRecord["protocol"],
      port: Number(row.port),
      state: row.state as PortRecord["state"],
      reason: String(row.reason),
      service: optionalText(row.service),
      detail: optionalText(row.detail),
      scanId: String(row.scan_id),
      seen: Number(row.seen),
    }));
  }

  saveWake(wake: WakeRecord): void {
    this.store.statement(
      `INSERT OR REPLACE INTO liwasc_wakes
       (id, mac, ip, interface, state, packets_sent, probes, started, finished, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      wake.id,
      wake.mac,
      wake.ip,
      wake.interface,
      wake.state,
      wake.packetsSent,
      wake.probes,
      wake.started,
      wake.finished ?? null,
      wake.error ?? null,
    );
  }

  listWakes(mac?: number, limit = 100): WakeRecord[] {
    const rows = mac === undefined
      ? this.store.statement("SELECT * FROM liwasc_wakes ORDER BY started DESC LIMIT ?").all(limit)
      : this.store.statement("SELECT * FROM liwasc_wakes WHERE mac = ? ORDER BY started DESC LIMIT ?").all(
        mac,
        limit,
      );
    return rows.map(wakeOf);
  }

  loadSettings(): LiwascSettings {
    const row = this.store.statement("SELECT value FROM liwasc_settings WHERE key = 'settings'").get();
    return row ? { ...defaultSettings, ...JSON.parse(String(row.value)) } : { ...defaultSettings };
  }

  saveSettings(settings: LiwascSettings): void {
    this.store.statement("INSERT OR REPLACE INTO liwasc_settings (key, value) VALUES ('settings', ?)")
      .run(JSON.stringify(settings));
  }

  prune(before: number) {
    return this.store.transaction(() => ({
      scans: Number(
        this.store.statement("DELETE FROM liwasc_scans WHERE state != 'running' AND started < ?").run(before)
          .changes,
      ),
      nodes: Number(this.store.statement("DELETE FROM liwasc_nodes WHERE last_seen < ?").run(before).changes),
      ports: Number(this.store.statement("DELETE FROM liwasc_ports WHERE seen < ?").run(before).changes),
      wakes: Number(
        this.store.statement("DELETE FROM liwasc_wakes WHERE finished IS NOT NULL AND started < ?").run(
          before,
        )
          .changes,
      ),
    }));
  }
}
