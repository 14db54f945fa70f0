import type { SqliteStore } from "../store/sqlite.ts";
import type { AuthRepository, Role, TokenRecord, UserRecord } from "./repository.ts";

const migrations = [{
  version: 1,
  sql: `
    CREATE TABLE auth_tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
      secret_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER,
      user TEXT
    );
    CREATE TABLE auth_users (
      name TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
      password_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );`,
}];

type Row = Record<string, unknown>;

export class SqliteAuthRepository implements AuthRepository {
  constructor(private readonly store: SqliteStore) {
    store.migrate("auth", migrations);
  }

  putToken(token: TokenRecord): void {
    this.store.statement(
      `INSERT OR REPLACE INTO auth_tokens (id, name, role, secret_hash, created_at, expires_at, user)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      token.id,
      token.name,
      token.role,
      token.secretHash,
      token.createdAt.getTime(),
      token.expiresAt?.getTime() ?? null,
      token.user ?? null,
    );
  }

  getToken(id: string): TokenRecord | undefined {
    const row = this.store.statement("SELECT * FROM auth_tokens WHERE id = ?").get(id);
    return row ? tokenFromRow(row) : undefined;
  }

  listTokens(): TokenRecord[] {
    return this.store.statement("SELECT * FROM auth_tokens ORDER BY created_at, id").all().map(tokenFromRow);
  }

  deleteToken(id: string): boolean {
    return Number(this.store.statement("DELETE FROM auth_tokens WHERE id = ?").run(id).changes) > 0;
  }

  deleteTokensOfUser(user: string): number {
    return Number(this.store.statement("DELETE FROM auth_tokens WHERE user = ?").run(user).changes);
  }

  deleteExpiredTokens(now: Date): number {
    return Number(
      this.store.statement("DELETE FROM auth_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?")
        .run(now.getTime()).changes,
    );
  }

  putUser(user: UserRecord): void {
    this.store.statement(
      "INSERT OR REPLACE INTO auth_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
    ).run(user.name, user.role, user.passwordHash, user.createdAt.getTime());
  }

  getUser(name: string): UserRecord | undefined {
    const row = this.store.statement("SELECT * FROM auth_users WHERE name = ?").get(name);
    return row ? userFromRow(row) : undefined;
  }

  listUsers(): UserRecord[] {
    return this.store.statement("SELECT * FROM auth_users ORDER BY name").all().map(userFromRow);
  }

  deleteUser(name: string): boolean {
    return Number(this.store.statement("DELETE FROM auth_users WHERE name = ?").run(name).changes) > 0;
  }
}

function tokenFromRow(row: Row): TokenRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    role: row.role as Role,
    secretHash: String(row.secret_hash),
    createdAt: new Date(Number(row.created_at)),
    expiresAt: row.expires_at === null ? undefined : new Date(Number(row.expires_at)),
    user: row.user === null ? undefined : String(row.user),
  };
}

function userFromRow(row: Row): UserRecord {
  return {
    name: String(row.name),
    role: row.role as Role,
    passwordHash: String(row.password_hash),
    createdAt: new Date(Number(row.created_at)),
  };
}
