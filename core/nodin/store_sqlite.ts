import type { SqliteStore } from "../store/sqlite.ts";
import type { CloudAccount } from "./clouds/account.ts";
import type { EnrolmentRule, HistoryEntry, HistoryKind, NodeRecord, NodinRepository } from "./model.ts";

// Nodes and rules are kept as JSON documents (their shape grows with drivers and providers; nothing
// queries inside them); history is a plain append-only table, pruned by count per node and by age.
const migrations = [{
  version: 1,
  sql: `CREATE TABLE nodin_nodes (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  );
  CREATE TABLE nodin_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    actor TEXT NOT NULL
  );
  CREATE INDEX nodin_history_node ON nodin_history (node_id, seq);
  CREATE INDEX nodin_history_at ON nodin_history (at);
  CREATE TABLE nodin_rules (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  );`,
}, {
  version: 2,
  sql: `CREATE TABLE nodin_cloud_accounts (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  );`,
}];

export class SqliteNodinRepository implements NodinRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("nodin", migrations);
  }

  loadNodes(): NodeRecord[] {
    return this.store.statement("SELECT doc FROM nodin_nodes ORDER BY id").all().map((row) =>
      JSON.parse(String(row.doc))
    );
  }

  saveNode(node: NodeRecord): void {
    this.store.statement("INSERT OR REPLACE INTO nodin_nodes (id, doc) VALUES (?, ?)").run(
      node.id,
      JSON.stringify(node),
    );
  }

  deleteNode(id: string): void {
    this.store.statement("DELETE FROM nodin_nodes WHERE id = ?").run(id);
  }

  appendHistory(entries: Omit<HistoryEntry, "seq">[]): void {
    if (entries.length === 0) return;
    const insert = this.store.statement(
      "INSERT INTO nodin_history (node_id, at, kind, message, actor) VALUES (?, ?, ?, ?, ?)",
    );
    this.store.transaction(() => {
      for (const entry of entries) insert.run(entry.nodeId, entry.at, entry.kind, entry.message, entry.actor);
    });
  }

  history(nodeId: string, limit: number, beforeSeq?: number): HistoryEntry[] {
    return this.store.statement(
      "SELECT * FROM nodin_history WHERE node_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
    ).all(nodeId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit).map((row) => ({
      seq: Number(row.seq),
      nodeId: String(row.node_id),
      at: Number(row.at),
      kind: String(row.kind) as HistoryKind,
      message: String(row.message),
      actor: String(row.actor),
    }));
  }

  pruneHistory(perNode: number, before: number): number {
    return this.store.transaction(() => {
      const old = Number(this.store.statement("DELETE FROM nodin_history WHERE at < ?").run(before).changes);
      // Per node, everything older than its perNode-th newest entry.
      const excess = Number(
        this.store.statement(
          `DELETE FROM nodin_history WHERE seq IN (
             SELECT seq FROM (
               SELECT seq, ROW_NUMBER() OVER (PARTITION BY node_id ORDER BY seq DESC) AS newer
               FROM nodin_history
             ) WHERE newer > ?
           )`,
        ).run(perNode).changes,
      );
      return old + excess;
    });
  }

  loadRules(): EnrolmentRule[] {
    return this.store.statement("SELECT doc FROM nodin_rules").all().map((row) => JSON.parse(String(row.doc)))
      .sort((a: EnrolmentRule, b: EnrolmentRule) => a.priority - b.priority || a.id.localeCompare(b.id));
  }

  saveRule(rule: EnrolmentRule): void {
    this.store.statement("INSERT OR REPLACE INTO nodin_rules (id, doc) VALUES (?, ?)").run(
      rule.id,
      JSON.stringify(rule),
    );
  }

  deleteRule(id: string): boolean {
    return Number(this.store.statement("DELETE FROM nodin_rules WHERE id = ?").run(id).changes) > 0;
  }

  loadAccounts(): CloudAccount[] {
    return this.store.statement("SELECT doc FROM nodin_cloud_accounts ORDER BY id").all().map((row) =>
      JSON.parse(String(row.doc))
    );
  }

  saveAccount(account: CloudAccount): void {
    this.store.statement("INSERT OR REPLACE INTO nodin_cloud_accounts (id, doc) VALUES (?, ?)").run(
      account.id,
      JSON.stringify(account),
    );
  }

  deleteAccount(id: string): boolean {
    return Number(this.store.statement("DELETE FROM nodin_cloud_accounts WHERE id = ?").run(id).changes) > 0;
  }
}
