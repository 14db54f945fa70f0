import type { SqliteStore } from "../store/sqlite.ts";
import { type DeploymentRecord, type DeploymentRepository, withoutLogs } from "./model.ts";
import type { OverlayAddressRepository } from "./overlay_addresses.ts";
import type { HostNameRepository } from "./targets.ts";

export const deployersMigrations = [{
  version: 1,
  sql: `CREATE TABLE deployers_deployments (
    id TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX deployers_deployments_created ON deployers_deployments (created);
  CREATE TABLE deployers_overlay_addresses (
    network TEXT NOT NULL,
    node_id TEXT NOT NULL,
    address TEXT NOT NULL,
    PRIMARY KEY (network, node_id),
    UNIQUE (network, address)
  );`,
}, {
  version: 2,
  // Seeded with the names deployments already used (the newest for a node, a name only once): nodes
  // keep the names their hosts have.
  sql: `CREATE TABLE deployers_host_names (
    node_id TEXT PRIMARY KEY,
    host_name TEXT NOT NULL UNIQUE
  );
  INSERT OR IGNORE INTO deployers_host_names (node_id, host_name)
    SELECT json_extract(host.value, '$.nodeId'), json_extract(host.value, '$.hostName')
    FROM deployers_deployments AS deployment, json_each(deployment.record, '$.hosts') AS host
    WHERE json_extract(deployment.record, '$.plan') = 0
      AND json_extract(host.value, '$.nodeId') != '' AND json_extract(host.value, '$.hostName') != ''
    ORDER BY deployment.created DESC, deployment.id, host.key;`,
}, {
  version: 3,
  // Each record also without its logs, for the lists (the web UI's live preview reads one a keystroke).
  sql: `ALTER TABLE deployers_deployments ADD COLUMN summary TEXT;
  UPDATE deployers_deployments SET summary = json_set(record, '$.log', json('[]'), '$.hosts', (
    SELECT json_group_array(json(json_set(host.value, '$.log', json('[]'))))
    FROM json_each(deployers_deployments.record, '$.hosts') AS host
  ));`,
}];

/** Deployments as JSON documents (read and written whole; hosts and steps are never queried). */
export class SqliteDeploymentRepository
  implements DeploymentRepository, OverlayAddressRepository, HostNameRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("deployers", deployersMigrations);
  }

  save(deployment: DeploymentRecord): void {
    this.store.statement(
      "INSERT INTO deployers_deployments (id, created, record, summary) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (id) DO UPDATE SET record = excluded.record, summary = excluded.summary",
    ).run(
      deployment.id,
      deployment.createdAt,
      JSON.stringify(deployment),
      JSON.stringify(withoutLogs(deployment)),
    );
  }

  get(id: string): DeploymentRecord | undefined {
    const row = this.store.statement("SELECT record FROM deployers_deployments WHERE id = ?").get(id);
    return row ? JSON.parse(String(row.record)) : undefined;
  }

  list(limit: number): DeploymentRecord[] {
    return this.store.statement(
      "SELECT record FROM deployers_deployments ORDER BY created DESC, id LIMIT ?",
    ).all(limit).map((row) => JSON.parse(String(row.record)));
  }

  summaries(limit: number): DeploymentRecord[] {
    return this.store.statement(
      "SELECT summary FROM deployers_deployments ORDER BY created DESC, id LIMIT ?",
    ).all(limit).map((row) => JSON.parse(String(row.summary)));
  }

  overlayAddresses(network: string): Map<string, string> {
    const rows = this.store.statement(
      "SELECT node_id, address FROM deployers_overlay_addresses WHERE network = ?",
    ).all(network);
    return new Map(rows.map((row) => [String(row.node_id), String(row.address)]));
  }

  keepOverlayAddresses(network: string, assigned: Map<string, string>): void {
    this.store.transaction(() => {
      for (const [nodeId, address] of assigned) {
        this.store.statement(
          "INSERT INTO deployers_overlay_addresses (network, node_id, address) VALUES (?, ?, ?) " +
            "ON CONFLICT (network, node_id) DO NOTHING",
        ).run(network, nodeId, address);
      }
    });
  }

  hostNames(): Map<string, string> {
    const rows = this.store.statement("SELECT node_id, host_name FROM deployers_host_names").all();
    return new Map(rows.map((row) => [String(row.node_id), String(row.host_name)]));
  }

  keepHostNames(names: Map<string, string>): void {
    this.store.transaction(() => {
      for (const [nodeId, hostName] of names) {
        this.store.statement(
          "INSERT INTO deployers_host_names (node_id, host_name) VALUES (?, ?) ON CONFLICT (node_id) DO NOTHING",
        ).run(nodeId, hostName);
      }
    });
  }
}
