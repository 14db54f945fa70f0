import type { Context, Hono } from "hono";
import type { Authenticator } from "../../auth/authenticator.ts";
import { requireAccess } from "../../api/http_auth.ts";
import type { DeadProperties } from "../../http/webdav/dead_properties.ts";
import { IfHeaderSyntaxError } from "../../http/webdav/if_header.ts";
import { LockTable, TooManyLocksError } from "../../http/webdav/lock_table.ts";
import { BodyTooLargeError } from "../../http/webdav/request_body.ts";
import { MalformedXmlError } from "../../http/webdav/xml.ts";
import { FileOperationError, type ServedFiles } from "../files.ts";
import { JailError } from "../jail.ts";
import type { BofiedMetrics, RefusalReason } from "../metrics.ts";
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
  onChange?: (what: string, path: string) => void;
  /** Where writes and refusals are counted. */
  metrics?: BofiedMetrics;
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
      properties: requireProperties(files, mount),
      onChange: options.onChange,
    };
    const refused = (reason: RefusalReason) => options.metrics?.refused("webdav", reason);
    const handle = async (c: Context) => {
      let response: Response;
      try {
        response = await davRequest(c, tree);
      } catch (error) {
        const refusal = refusalOf(error);
        refused(refusal.reason);
        return c.text(refusal.text, refusal.status);
      }
      if (davMethods.write.includes(c.req.method) && response.status < 300) {
        options.metrics?.davWrite(c.req.method);
      }
      return response;
    };
    const onRefused = (status: 401 | 403) => refused(status === 401 ? "unauthorized" : "forbidden");
    const [read, write] = [davMethods.read, davMethods.write];
    app.on(read, [mount, `${mount}/*`], requireAccess(options.auth, "read", false, onRefused), handle);
    app.on(write, [mount, `${mount}/*`], requireAccess(options.auth, "write", false, onRefused), handle);
  }
}

type RefusalStatus = 400 | 403 | 404 | 409 | 412 | 413 | 503;

/** The answer to what a request's file operation threw, and how it is counted; the unforeseen is rethrown. */
function refusalOf(error: unknown): { status: RefusalStatus; text: string; reason: RefusalReason } {
  if (error instanceof JailError) {
    return { status: 403, text: `refused: ${error.message}\n`, reason: "path_traversal" };
  }
  if (error instanceof FileOperationError) {
    const [status, reason] = ({
      "not-found": [404, "not_found"],
      exists: [412, "conflict"],
      invalid: [409, "conflict"],
      "too-large": [413, "too_large"],
    } as const)[error.code];
    return { status, text: `${error.message}\n`, reason };
  }
  if (error instanceof Deno.errors.NotFound) return { status: 404, text: "not found\n", reason: "not_found" };
  if (error instanceof URIError) return { status: 400, text: "bad path encoding\n", reason: "bad_request" };
  if (error instanceof MalformedXmlError || error instanceof IfHeaderSyntaxError) {
    return { status: 400, text: `${error.message}\n`, reason: "bad_request" };
  }
  if (error instanceof BodyTooLargeError) {
    return { status: 413, text: `${error.message}\n`, reason: "too_large" };
  }
  if (error instanceof TooManyLocksError) return { status: 503, text: `${error.message}\n`, reason: "busy" };
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

/** The tree's dead properties, which its ServedFiles keeps in step with its files. */
function requireProperties(files: ServedFiles, mount: string): DeadProperties {
  if (!files.properties) throw new Error(`WebDAV at ${mount}: the tree has no dead-property store`);
  return files.properties;
}
