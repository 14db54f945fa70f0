import type { Context, Hono } from "hono";
import type { Authenticator } from "../auth/authenticator.ts";
import { requireAccess } from "../api/http_auth.ts";
import { serveFile } from "../http/files.ts";
import { rawRequestPath } from "../http/raw_path.ts";
import { type FileCache } from "./file_cache.ts";
import { Jail, JailError } from "./jail.ts";

const smallFileBytes = 256 * 1024;

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
  let path: string;
  try {
    path = await jail.resolveExisting(requested);
  } catch (error) {
    if (error instanceof JailError) return c.text(`refused: ${error.message}\n`, 403);
    if (error instanceof Deno.errors.NotFound) return c.text("not found\n", 404);
    throw error;
  }
  const cache = options.cache;
  const response = await serveFile(c.req.raw, path, {
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
