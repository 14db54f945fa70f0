import { createHash } from "node:crypto";
import type { AuthRepository, Role, TokenRecord } from "./repository.ts";
import { ConcurrencyLimiter } from "./limiter.ts";
import { hashPassword, hashTokenSecret, newToken, parseToken, sameHash, verifyPassword } from "./secrets.ts";

export interface Principal {
  kind: "token" | "user" | "anonymous";
  /** Token name, user name, or "anonymous". */
  name: string;
  role: Role;
  /** The token that authenticated this call (session tokens included). */
  tokenId?: string;
}

export const anonymousViewer: Principal = { kind: "anonymous", name: "anonymous", role: "viewer" };

export interface AuthenticatorOptions {
  /** Lifetime of the session tokens Login issues. */
  sessionTtlMs: number;
  now?: () => Date;
}

// A verified Basic password is remembered briefly so WebDAV clients, which send it on every request,
// do not pay an scrypt hash each time.
const basicCacheMs = 60_000;

/**
 * Turns an Authorization header into a Principal. Accepted: `Bearer <token>`, and `Basic` with either a
 * user's password or a token as the password (for clients such as rclone that only speak Basic).
 */
export class Authenticator {
  #basicCache = new Map<string, { principal: Principal; until: number }>();
  #passwordChecks = new ConcurrencyLimiter(2, 32);
  // Unknown users are checked against this hash too, so timing does not tell which user names exist.
  #dummyHash = hashPassword("ctpf-no-such-user");
  #now: () => Date;

  constructor(private readonly repository: AuthRepository, private readonly options: AuthenticatorOptions) {
    this.#now = options.now ?? (() => new Date());
  }

  async authenticate(authorization: string | null | undefined): Promise<Principal | undefined> {
    if (!authorization) return undefined;
    const [scheme, value = ""] = authorization.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "bearer") return this.#fromToken(value);
    if (scheme.toLowerCase() !== "basic") return undefined;
    let decoded: string;
    try {
      decoded = atob(value);
    } catch {
      return undefined;
    }
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const user = decoded.slice(0, colon), password = decoded.slice(colon + 1);
    const byToken = this.#fromToken(password);
    if (byToken) return byToken;
    return await this.#fromPassword(user, password);
  }

  async login(user: string, password: string, ttlMs = this.options.sessionTtlMs) {
    const principal = await this.#fromPassword(user, password);
    if (!principal) return undefined;
    return this.createToken(`session:${user}`, principal.role, ttlMs, user);
  }

  createToken(
    name: string,
    role: Role,
    ttlMs?: number,
    user?: string,
  ): { record: TokenRecord; text: string } {
    const token = newToken();
    const createdAt = this.#now();
    const record: TokenRecord = {
      id: token.id,
      name,
      role,
      secretHash: hashTokenSecret(token.secret),
      createdAt,
      expiresAt: ttlMs ? new Date(createdAt.getTime() + ttlMs) : undefined,
      user,
    };
    this.repository.putToken(record);
    return { record, text: token.text };
  }

  revokeToken(id: string): boolean {
    this.#basicCache.clear();
    return this.repository.deleteToken(id);
  }

  async putUser(name: string, password: string, role: Role): Promise<void> {
    const existing = this.repository.getUser(name);
    this.repository.putUser({
      name,
      role,
      passwordHash: await hashPassword(password),
      createdAt: existing?.createdAt ?? this.#now(),
    });
    // A changed password or role must not leave old sessions alive.
    this.repository.deleteTokensOfUser(name);
    this.#basicCache.clear();
  }

  deleteUser(name: string): boolean {
    this.repository.deleteTokensOfUser(name);
    this.#basicCache.clear();
    return this.repository.deleteUser(name);
  }

  /** True when `text` is a token the store knows and has not expired. */
  isValidToken(text: string): boolean {
    return this.#fromToken(text) !== undefined;
  }

  purgeExpired(): number {
    return this.repository.deleteExpiredTokens(this.#now());
  }

  #fromToken(text: string): Principal | undefined {
    const parts = parseToken(text);
    if (!parts) return undefined;
    const record = this.repository.getToken(parts.id);
    if (!record || !sameHash(record.secretHash, hashTokenSecret(parts.secret))) return undefined;
    if (record.expiresAt && record.expiresAt <= this.#now()) return undefined;
    if (record.user) {
      const user = this.repository.getUser(record.user);
      if (!user) return undefined;
      return { kind: "user", name: user.name, role: user.role, tokenId: record.id };
    }
    return { kind: "token", name: record.name, role: record.role, tokenId: record.id };
  }

  async #fromPassword(name: string, password: string): Promise<Principal | undefined> {
    const key = createHash("sha256").update(`${name}\x00${password}`).digest("hex");
    const cached = this.#basicCache.get(key);
    const now = this.#now().getTime();
    if (cached && cached.until > now) return cached.principal;
    const user = this.repository.getUser(name);
    const stored = user?.passwordHash ?? await this.#dummyHash;
    const valid = await this.#passwordChecks.run(() => verifyPassword(password, stored));
    if (!user || !valid) return undefined;
    const principal: Principal = { kind: "user", name: user.name, role: user.role };
    this.#basicCache.set(key, { principal, until: now + basicCacheMs });
    return principal;
  }
}
