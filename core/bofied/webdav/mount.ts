import type { Context, Hono } from "hono";
import type { Authenticator } from "../../auth/authenticator.ts";
import { requireAccess } from "../../api/http_auth.ts";
import type { SqliteStore } from "../../store/sqlite.ts";
import { SqliteDeadProperties } from "../../http/webdav/dead_properties.ts";
import { IfHeaderSyntaxError } from "../../http/webdav/if_header.ts";
import { LockTable, TooManyLocksError } from "../../http/webdav/lock_table.ts";
import { BodyTooLargeError } from "../../http/webdav/request_body.ts";
import { MalformedXmlError } from "../../http/webdav/xml.ts";
import { FileOperationError, type ServedFiles } from "../files.ts";
import { JailError } from "../jail.ts";
import { copyOrMove } from "./copy_move.ts";
import { lock, unlock } from "./locking.ts";
import { proppatch } from "./proppatch.ts";
import { davMethods, getOrHead, options, propfind } from "./read.ts";
import { type DavTree, requestPath } from "./tree.ts";
import { mkcol, put, remove } from "./write.ts";

export interface WebDavOptions {
  /** Mount point → tree, e.g. { "/dav/boot": bootFiles, "/dav/private": privateFiles }. */
  trees: Record<string, ServedFiles>;
  auth: Authenticator;
  /** Holds the dead properties, outside the served trees. */
  store: SqliteStore;
  onChange?: (what: string, path: string) => void;
}

/**
 * WebDAV class 1 and 2 over a served tree, for rclone, davfs2, cadaver, macOS Finder and Windows
 * Explorer: OPTIONS, PROPFIND (depth 0 and 1; live and dead properties), PROPPATCH, GET/HEAD, PUT
 * (streamed to disk, then renamed into place), MKCOL, DELETE, MOVE and COPY, LOCK and UNLOCK. Every write
 * honours the If header and the locks guarding what it changes (412, 423). Locks live in memory and end
 * by their timeout (at most an hour) or with the process; dead properties persist in the binary's store.
 * Every request needs a credential — reads a viewer, writes an admin — and every name goes through the
 * jail.
 */
export function mountWebDav(app: Hono, options: WebDavOptions): void {
  for (const [mount, files] of Object.entries(options.trees)) {
    const tree: DavTree = {
      mount,
      files,
      locks: new LockTable(),
      properties: new SqliteDeadProperties(options.store, mount),
      onChange: options.onChange,
    };
    const handle = (c: Context) => davRequest(c, tree).catch((error) => answerError(c, error));
    app.on(davMethods.read, [mount, `${mount}/*`], requireAccess(options.auth, "read", false), handle);
    app.on(davMethods.write, [mount, `${mount}/*`], requireAccess(options.auth, "write", false), handle);
  }
}

function answerError(c: Context, error: unknown): Response {
  if (error instanceof JailError) return c.text(`refused: ${error.message}\n`, 403);
  if (error instanceof FileOperationError) {
    const status = { "not-found": 404, exists: 412, invalid: 409, "too-large": 413 }[error.code] as 404;
    return c.text(`${error.message}\n`, status);
  }
  if (error instanceof Deno.errors.NotFound) return c.text("not found\n", 404);
  if (error instanceof URIError) return c.text("bad path encoding\n", 400);
  if (error instanceof MalformedXmlError || error instanceof IfHeaderSyntaxError) {
    return c.text(`${error.message}\n`, 400);
  }
  if (error instanceof BodyTooLargeError) return c.text(`${error.message}\n`, 413);
  if (error instanceof TooManyLocksError) return c.text(`${error.message}\n`, 503);
  throw error;
}

async function davRequest(c: Context, tree: DavTree): Promise<Response> {
  // A fragment is never part of a resource's name; acting on the URL without it could hit another one.
  if (c.req.url.includes("#")) return c.text("a request target has no fragment\n", 400);
  const path = requestPath(c, tree);
  switch (c.req.method) {
    case "OPTIONS":
      return options();
    case "PROPFIND":
      return await propfind(c, tree, path);
    case "GET":
    case "HEAD":
      return await getOrHead(c, tree, path);
    case "PUT":
      return await put(c, tree, path);
    case "MKCOL":
      return await mkcol(c, tree, path);
    case "DELETE":
      return await remove(c, tree, path);
    case "MOVE":
    case "COPY":
      return await copyOrMove(c, tree, path);
    case "PROPPATCH":
      return await proppatch(c, tree, path);
    case "LOCK":
      return await lock(c, tree, path);
    case "UNLOCK":
      return unlock(c, tree, path);
  }
  return c.text("method not allowed\n", 405);
}
