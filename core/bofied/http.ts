import type { Context, Hono } from "hono";
import type { Authenticator } from "../auth/authenticator.ts";
import { requireAccess } from "../api/http_auth.ts";
import { serveBytes, serveFile } from "../http/files.ts";
import { rawRequestPath, targetPath } from "../http/raw_path.ts";
import type { RequestHead } from "../http/request_head.ts";
import type { RouteAnswer } from "../http/sendfile_server.ts";
import { type FileCache } from "./file_cache.ts";
import type { Served } from "./http_events.ts";
import { type Jail, JailError } from "./jail.ts";
import type { RefusalReason } from "./metrics.ts";
import { type Found, lookup, lookupSync, recentLookup } from "./recent_lookups.ts";

const smallFileBytes = 256 * 1024;

/** A request turned away before any file was found: the answer, and why (for metrics). */
interface Refusal {
  status: 400 | 403 | 404;
  text: string;
  reason: RefusalReason;
}

const badPathEncoding: Refusal = { status: 400, text: "bad path encoding\n", reason: "bad_request" };

/**
 * The answer to a failed lookup, the same on both ports: 403 for what the jail refuses, 404 when nothing
 * is there to serve (a missing name, a name through a file, a symlink loop, a name too long). Anything
 * else is a fault of ours and is thrown on.
 */
function lookupRefusal(error: unknown): Refusal {
  if (error instanceof JailError) {
    return { status: 403, text: `refused: ${error.message}\n`, reason: "path_traversal" };
  }
  const nothingThere = error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.FilesystemLoop ||
    (error instanceof Error && (error as { code?: string }).code === "ENAMETOOLONG");
  if (nothingThere) return { status: 404, text: "not found\n", reason: "not_found" };
  throw error;
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
  onServed?: (served: Served) => void;
  /** Told about every request refused before a file was found (for metrics). */
  onRefused?: (status: number, reason: RefusalReason) => void;
}

function refuse(c: Context, options: BootHttpOptions, refusal: Refusal): Response {
  options.onRefused?.(refusal.status, refusal.reason);
  return c.text(refusal.text, refusal.status);
}

/** The peer's address, from Deno.serve's connection info (Hono passes it as the context's env). */
function clientOf(c: Context): string {
  const address = (c.env as Deno.ServeHandlerInfo<Deno.NetAddr> | undefined)?.remoteAddr;
  return address?.hostname ?? "";
}

function serveFrom(
  jail: Jail,
  prefix: string,
  c: Context,
  options: BootHttpOptions,
): Response | Promise<Response> {
  let requested: string;
  try {
    requested = rawRequestPath(c.req.url).slice(prefix.length);
  } catch {
    return refuse(c, options, badPathEncoding);
  }
  const onServed = options.onServed;
  const onAnswer = (found: Found) => (status: number, bytes: number) =>
    onServed?.({ path: found.name, status, bytes, client: clientOf(c) });
  return serveLooked(jail, requested, c, options, onAnswer);
}

/**
 * The hot path, taken before the router: a GET of a public boot file whose name was resolved within the
 * last second and whose content is in memory is answered synchronously. Anything else (a miss, a
 * private file, a HEAD, a bad path) returns undefined and goes through the router as usual.
 */
export function bootFastPath(
  options: BootHttpOptions,
): (request: Request, info: Deno.ServeHandlerInfo) => Response | undefined {
  return (request, info) => {
    if (request.method !== "GET" || !options.cache) return undefined;
    let requested: string;
    try {
      const path = rawRequestPath(request.url);
      if (!path.startsWith("/boot/")) return undefined;
      requested = path.slice("/boot".length);
    } catch {
      return undefined;
    }
    const recent = recentLookup(options.publicJail, requested);
    const inMemory = recent?.version && options.cache.peek(recent.path, recent.version);
    if (!recent || !inMemory) return undefined;
    const onServed = options.onServed;
    return serveBytes(request, recent.path, recent.info, inMemory, (status, bytes) =>
      onServed?.({
        path: recent.name,
        status,
        bytes,
        client: (info.remoteAddr as Deno.NetAddr).hostname ?? "",
      }));
  };
}

async function serveLooked(
  jail: Jail,
  requested: string,
  c: Context,
  options: BootHttpOptions,
  onAnswer: (found: Found) => (status: number, bytes: number) => void,
): Promise<Response> {
  let found: Found;
  try {
    found = await lookup(jail, requested);
  } catch (error) {
    return refuse(c, options, lookupRefusal(error));
  }
  const cache = options.cache;
  return await serveFile(c.req.raw, found.path, {
    info: found.info,
    smallContent: cache
      ? (file, info) =>
        info.size <= smallFileBytes && found.version
          ? cache.read(file, found.version)
          : Promise.resolve(undefined)
      : undefined,
    onAnswer: onAnswer(found),
  });
}

/** GET/HEAD for /boot/* (public) and /private/* (credentials, like the API's read methods). */
export function mountBootHttp(app: Hono, options: BootHttpOptions): void {
  for (const method of ["GET", "HEAD"] as const) {
    app.on(method, "/boot/*", (c) => serveFrom(options.publicJail, "/boot", c, options));
    app.on(
      method,
      "/private/*",
      requireAccess(
        options.auth,
        "read",
        options.anonymousRead,
        (status) => options.onRefused?.(status, status === 401 ? "unauthorized" : "forbidden"),
      ),
      (c) => serveFrom(options.privateJail, "/private", c, options),
    );
  }
}

/**
 * The public boot files for the sendfile port (--boot-http-listen): the same /boot/ URLs, jail, lookup
 * cache and in-memory small files as the main port, answered by core/http's sendfile server.
 */
export function bootFileRoute(options: BootHttpOptions): (head: RequestHead) => RouteAnswer {
  const refuse = (refusal: Refusal): RouteAnswer => {
    options.onRefused?.(refusal.status, refusal.reason);
    return { kind: "status", status: refusal.status, text: refusal.text };
  };
  const notFound = (text: string) => refuse({ status: 404, text, reason: "not_found" });
  return (head) => {
    let path: string;
    try {
      path = targetPath(head.target);
    } catch {
      return refuse(badPathEncoding);
    }
    if (!path.startsWith("/boot/")) return notFound("only /boot/ is served on this port\n");
    let found: Found;
    try {
      found = lookupSync(options.publicJail, path.slice("/boot".length));
    } catch (error) {
      return refuse(lookupRefusal(error));
    }
    if (!found.info.isFile) return notFound("not a file\n");
    const cache = options.cache;
    const version = found.version;
    const content = version ? cache?.peek(found.path, version) : undefined;
    // Warm the cache for the next GET; this one is sent from the file. (FileCache joins reads already
    // under way, so a burst of requests costs one read.)
    if (cache && version && !content && head.method === "GET" && found.info.size <= smallFileBytes) {
      cache.read(found.path, version).catch(() => {});
    }
    return { kind: "file", name: found.name, file: { path: found.path, info: found.info, content } };
  };
}
