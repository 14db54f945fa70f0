/** What auth needs from storage; SQLite implements it today, a distributed backend can tomorrow. */
export type Role = "viewer" | "admin";

export interface TokenRecord {
  /** Public identifier, part of the token text; used to list and revoke. */
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the secret part, hex. The secret itself is never stored. */
  secretHash: string;
  createdAt: Date;
  expiresAt?: Date;
  /** Set for session tokens that Login issued for a user. */
  user?: string;
}

export interface UserRecord {
  name: string;
  role: Role;
  /** scrypt$N$r$p$salt$hash, see secrets.ts. */
  passwordHash: string;
  createdAt: Date;
}

export interface AuthRepository {
  putToken(token: TokenRecord): void;
  getToken(id: string): TokenRecord | undefined;
  listTokens(): TokenRecord[];
  deleteToken(id: string): boolean;
  deleteTokensOfUser(user: string): number;
  deleteExpiredTokens(now: Date): number;
  putUser(user: UserRecord): void;
  getUser(name: string): UserRecord | undefined;
  listUsers(): UserRecord[];
  deleteUser(name: string): boolean;
}
