/**
 * WebDAV write locks (RFC 4918 §6–7), kept in memory: a restart forgets them, which clients survive (they
 * take a new lock when a refresh fails), and each lock ends by its timeout if its client vanished.
 * Paths are a tree's canonical names: "/" for the root, "/a/b" below it, never a trailing slash.
 */
export type LockScope = "exclusive" | "shared";
export type LockDepth = "0" | "infinity";

export interface ActiveLock {
  token: string;
  /** The resource the lock was taken on. */
  root: string;
  depth: LockDepth;
  scope: LockScope;
  /** The client's DAV:owner content as XML, echoed in lock discovery. */
  owner: string;
  /** Who took it: only the same principal may use or remove the token. */
  principal: string;
  timeoutSeconds: number;
  expiresAt: number;
}

export interface LockRequest {
  root: string;
  depth: LockDepth;
  scope: LockScope;
  owner: string;
  principal: string;
  timeoutSeconds: number;
}

/** A lock request that an existing lock forbids. */
export class LockConflictError extends Error {
  constructor(readonly conflicting: ActiveLock) {
    super(`${conflicting.root} is locked`);
    this.name = "LockConflictError";
  }
}

/** More locks than the table holds: a misbehaving client, answered as the server being full. */
export class TooManyLocksError extends Error {
  constructor() {
    super("too many locks");
    this.name = "TooManyLocksError";
  }
}

/** Whether `path` is `root` or below it. */
export function isWithin(path: string, root: string): boolean {
  return root === "/" || path === root || path.startsWith(`${root}/`);
}

/** The parent collection's path ("/" for a member of the root). */
export function parentOf(path: string): string {
  return path.replace(/\/[^/]*$/, "") || "/";
}

export interface LockTableOptions {
  /** The longest timeout granted, whatever a client asks for (an Infinite request gets this). */
  maxTimeoutSeconds?: number;
  maxLocks?: number;
  now?: () => number;
}

export class LockTable {
  readonly maxTimeoutSeconds: number;
  readonly #maxLocks: number;
  readonly #now: () => number;
  readonly #locks = new Map<string, ActiveLock>();

  constructor(options: LockTableOptions = {}) {
    this.maxTimeoutSeconds = options.maxTimeoutSeconds ?? 3600;
    this.#maxLocks = options.maxLocks ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The live locks; expired ones are dropped on the way. */
  #live(): ActiveLock[] {
    const now = this.#now();
    const live: ActiveLock[] = [];
    for (const [token, lock] of this.#locks) {
      if (lock.expiresAt <= now) this.#locks.delete(token);
      else live.push(lock);
    }
    return live;
  }

  /** Takes a new lock, or throws LockConflictError naming a lock it would conflict with. */
  lock(request: LockRequest): ActiveLock {
    for (const existing of this.#live()) {
      const overlaps = this.#covers(existing, request.root) ||
        (request.depth === "infinity" && isWithin(existing.root, request.root));
      if (overlaps && (request.scope === "exclusive" || existing.scope === "exclusive")) {
        throw new LockConflictError(existing);
      }
    }
    if (this.#locks.size >= this.#maxLocks) throw new TooManyLocksError();
    const timeoutSeconds = this.#clampTimeout(request.timeoutSeconds);
    const lock: ActiveLock = {
      ...request,
      token: `urn:uuid:${crypto.randomUUID()}`,
      timeoutSeconds,
      expiresAt: this.#now() + timeoutSeconds * 1000,
    };
    this.#locks.set(lock.token, lock);
    return lock;
  }

  /** A live lock by its token. */
  get(token: string): ActiveLock | undefined {
    const lock = this.#locks.get(token);
    if (lock && lock.expiresAt <= this.#now()) {
      this.#locks.delete(token);
      return undefined;
    }
    return lock;
  }

  /** Restarts a lock's timeout (with a new length, clamped). */
  refresh(token: string, timeoutSeconds: number): ActiveLock | undefined {
    const lock = this.get(token);
    if (!lock) return undefined;
    lock.timeoutSeconds = this.#clampTimeout(timeoutSeconds);
    lock.expiresAt = this.#now() + lock.timeoutSeconds * 1000;
    return lock;
  }

  unlock(token: string): boolean {
    return this.#locks.delete(token);
  }

  /** Seconds left before the lock expires. */
  secondsLeft(lock: ActiveLock): number {
    return Math.max(0, Math.ceil((lock.expiresAt - this.#now()) / 1000));
  }

  /** The locks on `path`: taken on it, or on an ancestor with depth infinity. */
  covering(path: string): ActiveLock[] {
    return this.#live().filter((lock) => this.#covers(lock, path));
  }

  /**
   * The locks a change at `path` must hold a token for: those covering it; with `membership` (the change
   * adds or removes `path` in its parent) also the parent's own locks; with `subtree` (the change reaches
   * every member) also the locks taken anywhere below it.
   */
  guarding(path: string, options: { membership: boolean; subtree: boolean }): ActiveLock[] {
    const parent = parentOf(path);
    return this.#live().filter((lock) =>
      this.#covers(lock, path) ||
      (options.membership && path !== "/" && lock.root === parent) ||
      (options.subtree && isWithin(lock.root, path))
    );
  }

  /**
   * The guarding locks whose tokens were not submitted (by the principal who holds them). Shared locks on
   * one resource are alternatives: submitting the token of any one of them is enough.
   */
  unsatisfied(guards: ActiveLock[], submitted: Set<string>, principal: string): ActiveLock[] {
    const held = (lock: ActiveLock) => submitted.has(lock.token) && lock.principal === principal;
    const satisfiedRoots = new Set(
      guards.filter((lock) => lock.scope === "shared" && held(lock)).map((l) => l.root),
    );
    return guards.filter((lock) =>
      !held(lock) && !(lock.scope === "shared" && satisfiedRoots.has(lock.root))
    );
  }

  /** Drops the locks taken on `path` or below it: the resources are gone (deleted, moved away). */
  forget(path: string): void {
    for (const lock of this.#live()) {
      if (isWithin(lock.root, path)) this.#locks.delete(lock.token);
    }
  }

  #covers(lock: ActiveLock, path: string): boolean {
    return lock.root === path || (lock.depth === "infinity" && isWithin(path, lock.root));
  }

  #clampTimeout(seconds: number): number {
    return Math.min(this.maxTimeoutSeconds, Math.max(1, Math.floor(seconds)));
  }
}

/**
 * The timeout a client asks for (RFC 4918 §10.7: "Second-600, Infinite", best first), or undefined when
 * the header is absent or names nothing usable. "Infinite" is taken as the table's maximum.
 */
export function requestedTimeout(header: string | null | undefined, maxSeconds: number): number | undefined {
  for (const choice of (header ?? "").split(",")) {
    const text = choice.trim();
    if (/^infinite$/i.test(text)) return maxSeconds;
    const seconds = /^second-(\d{1,10})$/i.exec(text);
    if (seconds) return Number(seconds[1]);
  }
  return undefined;
}
