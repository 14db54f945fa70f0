import type { Context, Hono } from "hono";
import type { Authenticator } from "../auth/authenticator.ts";
import { requireAccess } from "../api/http_auth.ts";
import { serveFile } from "../http/files.ts";
import { rawRequestPath } from "../http/raw_path.ts";
import { type FileEntry, FileOperationError, type ServedFiles } from "./files.ts";
import { JailError } from "./jail.ts";
import type { BofiedMetrics, RefusalReason } from "./metrics.ts";

export interface WebDavOptions {
  /** Mount point → tree, e.g. { "/dav/boot": bootFiles, "/dav/private": privateFiles }. */
  trees: Record<string, ServedFiles>;
  auth: Authenticator;
  onChange?: (what: string, path: string) => void;
  /** Where writes and refusals are counted. */
  metrics?: BofiedMetrics;
}

const readMethods = ["OPTIONS", "PROPFIND", "GET", "HEAD"];
const writeMethods = ["PUT", "MKCOL", "DELETE", "MOVE", "COPY"];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hrefOf(mount: string, entry: FileEntry): string {
  const encoded = entry.path.split("/").map(encodeURIComponent).join("/");
  return `${mount}${encoded}${entry.directory && !encoded.endsWith("/") ? "/" : ""}`;
}

function propResponse(mount: string, entry: FileEntry): string {
  const modified = entry.modified ?? new Date(0);
  return `<D:response><D:href>${escapeXml(hrefOf(mount, entry))}</D:href><D:propstat><D:prop>` +
    `<D:displayname>${escapeXml(entry.name)}</D:displayname>` +
    (entry.directory
      ? "<D:resourcetype><D:collection/></D:resourcetype>"
      : `<D:resourcetype/><D:getcontentlength>${entry.size}</D:getcontentlength>` +
        `<D:getetag>"${entry.size.toString(16)}-${modified.getTime().toString(16)}"</D:getetag>`) +
    `<D:getlastmodified>${modified.toUTCString()}</D:getlastmodified>` +
    `</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`;
}

/**
 * WebDAV class 1 over a served tree (what rclone's webdav backend, davfs2 and file managers use):
 * OPTIONS, PROPFIND (depth 0 and 1), GET/HEAD, PUT (streamed to disk, then renamed into place), MKCOL,
 * DELETE, MOVE and COPY with Destination/Overwrite. Every request needs a credential — reads a viewer,
 * writes an admin — and every name goes through the jail.
 */
export function mountWebDav(app: Hono, options: WebDavOptions): void {
  for (const [mount, files] of Object.entries(options.trees)) {
    const pathOf = (c: Context) => rawRequestPath(c.req.url).slice(mount.length) || "/";
    const refused = (reason: RefusalReason) => options.metrics?.refused("webdav", reason);
    const handle = async (c: Context) => {
      let response: Response;
      try {
        response = await davRequest(c, mount, files, pathOf, options);
      } catch (error) {
        const refusal = refusalOf(error);
        refused(refusal.reason);
        return c.text(refusal.text, refusal.status);
      }
      if (writeMethods.includes(c.req.method) && response.status < 300) {
        options.metrics?.davWrite(c.req.method);
      }
      return response;
    };
    const onRefused = (status: 401 | 403) => refused(status === 401 ? "unauthorized" : "forbidden");
    app.on(readMethods, [mount, `${mount}/*`], requireAccess(options.auth, "read", false, onRefused), handle);
    app.on(
      writeMethods,
      [mount, `${mount}/*`],
      requireAccess(options.auth, "write", false, onRefused),
      handle,
    );
  }
}

/** The answer to what a request's file operation threw; anything unforeseen is thrown on. */
function refusalOf(
  error: unknown,
): { status: 400 | 403 | 404 | 409 | 412 | 413; text: string; reason: RefusalReason } {
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
  throw error;
}

async function davRequest(
  c: Context,
  mount: string,
  files: ServedFiles,
  pathOf: (c: Context) => string,
  options: WebDavOptions,
): Promise<Response> {
  const path = pathOf(c);
  switch (c.req.method) {
    case "OPTIONS":
      return new Response(null, {
        status: 200,
        headers: { dav: "1", allow: [...readMethods, ...writeMethods].join(", "), "ms-author-via": "DAV" },
      });
    case "PROPFIND": {
      const depth = c.req.header("depth") ?? "infinity";
      if (depth === "infinity") return c.text("Depth: infinity is not supported; use 0 or 1\n", 403);
      const self = await files.stat(path);
      const entries = [self, ...(self.directory && depth === "1" ? await files.list(path) : [])];
      const body = `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">` +
        entries.map((entry) => propResponse(mount, entry)).join("") + "</D:multistatus>";
      return new Response(body, {
        status: 207,
        headers: { "content-type": "application/xml; charset=utf-8" },
      });
    }
    case "GET":
    case "HEAD": {
      const entry = await files.stat(path);
      if (entry.directory) return c.text("a collection; use PROPFIND\n", 405);
      return await serveFile(c.req.raw, await files.jail.resolveExisting(path));
    }
    case "PUT": {
      const existed = await files.stat(path).then(() => true, () => false);
      const body = c.req.raw.body ?? new ReadableStream({ start: (controller) => controller.close() });
      // RFC 4918: a missing parent collection is a conflict, not a missing resource.
      if (!(await parentExists(files, path))) return c.text("parent collection missing\n", 409);
      await files.writeStream(path, body);
      options.onChange?.("uploaded", path);
      return new Response(null, { status: existed ? 204 : 201 });
    }
    case "MKCOL":
      if (await files.stat(path).then(() => true, () => false)) return c.text("exists\n", 405);
      if (!(await parentExists(files, path))) return c.text("parent collection missing\n", 409);
      await files.makeDirectory(path);
      options.onChange?.("directory made", path);
      return new Response(null, { status: 201 });
    case "DELETE":
      await files.delete(path, true);
      options.onChange?.("deleted", path);
      return new Response(null, { status: 204 });
    case "MOVE":
    case "COPY": {
      const destination = c.req.header("destination");
      if (!destination) return c.text("Destination header required\n", 400);
      const target = new URL(destination, c.req.url);
      const targetPath = rawRequestPath(
        destination.startsWith("/") ? `${target.origin}${destination}` : destination,
      );
      if (target.host !== new URL(c.req.url).host || !targetPath.startsWith(`${mount}/`)) {
        return c.text("Destination must be in the same tree\n", 502);
      }
      const to = targetPath.slice(mount.length);
      const overwrite = (c.req.header("overwrite") ?? "T").toUpperCase() !== "F";
      const existed = await files.stat(to).then(() => true, () => false);
      if (existed && !overwrite) return c.text("destination exists\n", 412);
      if (c.req.method === "MOVE") await files.move(path, to, overwrite);
      else await files.copy(path, to, overwrite);
      options.onChange?.(c.req.method === "MOVE" ? "moved" : "copied", `${path} → ${to}`);
      return new Response(null, { status: existed ? 204 : 201 });
    }
  }
  return c.text("method not allowed\n", 405);
}

function parentExists(files: ServedFiles, path: string): Promise<boolean> {
  // A name that leaves the tree is refused as such (403), before any question about its parent.
  files.jail.lexical(path);
  const parent = path.replace(/\/+$/, "").replace(/\/[^/]*$/, "") || "/";
  return files.stat(parent).then((entry) => entry.directory, () => false);
}
