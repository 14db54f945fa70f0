import type { Context, Hono } from "hono";
import type { Authenticator } from "../auth/authenticator.ts";
import { requireAccess } from "../api/http_auth.ts";
import { serveFile } from "../http/files.ts";
import { rawRequestPath } from "../http/raw_path.ts";
import { type FileCache } from "./file_cache.ts";
import { Jail, JailError } from "./jail.ts";

const smallFileBytes = 256 * 1024;

// A name's jail resolution and stat are reused for a second: a booting fleet asks for the same few files
// thousands of times, and each realpath + stat costs more than serving a small file. Changes on disk
// show within that second.
const lookupTtlMs = 1000;
const maxLookups = 4096;
const lookups = new WeakMap<Jail, Map<string, { path: string; info: Deno.FileInfo; until: number }>>();

async function lookup(jail: Jail, requested: string): Promise<{ path: string; info: Deno.FileInfo }> {
  let known = lookups.get(jail);
  if (!known) lookups.set(jail, known = new Map());
  const now = performance.now();
  const hit = known.get(requested);
  if (hit && hit.until > now) return hit;
  const path = await jail.resolveExisting(requested);
  const info = await Deno.stat(path);
  if (known.size >= maxLookups) known.clear();
  known.set(requested, { path, info, until: now + lookupTtlMs });
  return { path, info };
}

export interface BootHttpOptions {
  /** Public boot files, served to anyone at /boot/… (firmware cannot authenticate). */
  publicJail: Jail;
  /** Private files at /private/…, for signed-in callers only. */
  privateJail: Jail;
  auth: Authenticator;
  anonymousRead: boolean;
  /** Shared in-memory copies of small files. */
  cache?: FileCache;
  /** Told about every served file (for the event stream and metrics). */
  onServed?: (event: { path: string; status: number; bytes: number; client: string }) => void;
}

async function serveFrom(jail: Jail, prefix: string, c: Context, options: BootHttpOptions) {
  let requested: string;
  try {
    requested = rawRequestPath(c.req.url).slice(prefix.length);
  } catch {
    return c.text("bad path encoding\n", 400);
  }
  let found: { path: string; info: Deno.FileInfo };
  try {
    found = await lookup(jail, requested);
  } catch (error) {
    if (error instanceof JailError) return c.text(`refused: ${error.message}\n`, 403);
    if (error instanceof Deno.errors.NotFound) return c.text("not found\n", 404);
    throw error;
  }
  const path = found.path;
  const cache = options.cache;
  const response = await serveFile(c.req.raw, path, {
    info: found.info,
    smallContent: cache
      ? (file, info) => info.size <= smallFileBytes ? cache.read(file, info) : Promise.resolve(undefined)
      : undefined,
  });
  options.onServed?.({
    path: jail.nameOf(path),
    status: response.status,
    bytes: Number(response.headers.get("content-length") ?? 0),
    client: c.req.header("x-forwarded-for") ?? "",
  });
  return response;
}

/** GET/HEAD for /boot/* (public) and /private/* (credentials, like the API's read methods). */
export function mountBootHttp(app: Hono, options: BootHttpOptions): void {
  for (const method of ["GET", "HEAD"] as const) {
    app.on(method, "/boot/*", (c) => serveFrom(options.publicJail, "/boot", c, options));
    app.on(
      method,
      "/private/*",
      requireAccess(options.auth, "read", options.anonymousRead),
      (c) => serveFrom(options.privateJail, "/private", c, options),
    );
  }
}
