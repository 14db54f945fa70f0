import type { SqliteStore } from "../../store/sqlite.ts";
import type { PropertyChange, PropertyName } from "./property_request.ts";

/** A dead property: one a client set with PROPPATCH, kept as the element it sent. */
export interface StoredProperty extends PropertyName {
  /** The whole property element as standalone XML (namespaces declared on it). */
  xml: string;
}

/** A PROPPATCH that would store more than a resource may hold. */
export class DeadPropertyLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadPropertyLimitError";
  }
}

/**
 * Where a tree's dead properties live, by canonical path ("/" the root, "/a/b" below it). Copies, moves
 * and removals take the whole subtree, as the resources they follow do.
 */
export interface DeadProperties {
  list(path: string): StoredProperty[];
  /** Applies the changes in order, all or none. */
  apply(path: string, changes: PropertyChange[]): void;
  /** Replaces `to`'s properties (and, with `subtree`, its members') with copies of `from`'s. */
  copy(from: string, to: string, subtree: boolean): void;
  move(from: string, to: string): void;
  remove(path: string): void;
}

const maxValueBytes = 64 * 1024;
const maxPerResource = 256;

const migrations = [{
  version: 1,
  sql: `
    CREATE TABLE webdav_properties (
      tree TEXT NOT NULL,
      path TEXT NOT NULL,
      namespace TEXT NOT NULL,
      local TEXT NOT NULL,
      xml TEXT NOT NULL,
      PRIMARY KEY (tree, path, namespace, local)
    );`,
}];

// A path's subtree without LIKE, whose wildcards ("%", "_") are legal in file names.
const inSubtree = "(path = :path OR :path = '/' OR substr(path, 1, length(:path) + 1) = :path || '/')";

/**
 * Dead properties in the binary's SQLite store, beside the served tree rather than in it, so they are
 * never served as files and survive restarts. `tree` keeps several trees apart in one table.
 */
export class SqliteDeadProperties implements DeadProperties {
  constructor(private readonly store: SqliteStore, private readonly tree: string) {
    store.migrate("webdav-properties", migrations);
  }

  list(path: string): StoredProperty[] {
    return this.store.statement(
      "SELECT namespace, local, xml FROM webdav_properties WHERE tree = ? AND path = ? ORDER BY namespace, local",
    ).all(this.tree, path).map((row) => ({
      namespace: String(row.namespace),
      local: String(row.local),
      xml: String(row.xml),
    }));
  }

  apply(path: string, changes: PropertyChange[]): void {
    this.store.transaction(() => {
      for (const change of changes) {
        const { namespace, local } = change.name;
        if (change.kind === "remove") {
          this.store.statement(
            "DELETE FROM webdav_properties WHERE tree = ? AND path = ? AND namespace = ? AND local = ?",
          ).run(this.tree, path, namespace, local);
          continue;
        }
        if (new TextEncoder().encode(change.xml).length > maxValueBytes) {
          throw new DeadPropertyLimitError(`{${namespace}}${local} is over ${maxValueBytes} bytes`);
        }
        this.store.statement(
          "INSERT OR REPLACE INTO webdav_properties (tree, path, namespace, local, xml) VALUES (?, ?, ?, ?, ?)",
        ).run(this.tree, path, namespace, local, change.xml);
      }
      const count = this.store.statement(
        "SELECT count(*) AS n FROM webdav_properties WHERE tree = ? AND path = ?",
      ).get(this.tree, path);
      if (Number(count?.n) > maxPerResource) {
        throw new DeadPropertyLimitError(`a resource holds at most ${maxPerResource} properties`);
      }
    });
  }

  copy(from: string, to: string, subtree: boolean): void {
    this.store.transaction(() => {
      this.#removeSubtree(to);
      this.store.statement(
        `INSERT INTO webdav_properties (tree, path, namespace, local, xml)
         SELECT tree, :to || substr(path, length(:path) + 1), namespace, local, xml FROM webdav_properties
         WHERE tree = :tree AND ${subtree ? inSubtree : "path = :path"}`,
      ).run({ tree: this.tree, path: from, to });
    });
  }

  move(from: string, to: string): void {
    this.store.transaction(() => {
      this.#removeSubtree(to);
      this.store.statement(
        `UPDATE webdav_properties SET path = :to || substr(path, length(:path) + 1)
         WHERE tree = :tree AND ${inSubtree}`,
      ).run({ tree: this.tree, path: from, to });
    });
  }

  remove(path: string): void {
    this.store.transaction(() => this.#removeSubtree(path));
  }

  #removeSubtree(path: string): void {
    this.store.statement(`DELETE FROM webdav_properties WHERE tree = :tree AND ${inSubtree}`)
      .run({ tree: this.tree, path });
  }
}
