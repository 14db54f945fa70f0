import type { Context } from "hono";
import { serveFile } from "../../http/files.ts";
import { davErrorResponse, multistatusResponse } from "../../http/webdav/multistatus.ts";
import { parsePropfind } from "../../http/webdav/property_request.ts";
import { readXmlBody } from "../../http/webdav/request_body.ts";
import { propstatsOf } from "./properties.ts";
import { type DavTree, hrefOf, memberPath } from "./tree.ts";

export const davMethods = {
  read: ["OPTIONS", "PROPFIND", "GET", "HEAD"],
  write: ["PUT", "MKCOL", "DELETE", "MOVE", "COPY", "PROPPATCH", "LOCK", "UNLOCK"],
};

export function options(): Response {
  return new Response(null, {
    status: 200,
    headers: {
      // Class 2: locking, which Finder and Explorer need before they mount a share writable.
      dav: "1, 2",
      allow: [...davMethods.read, ...davMethods.write].join(", "),
      "ms-author-via": "DAV",
    },
  });
}

export async function propfind(c: Context, tree: DavTree, path: string): Promise<Response> {
  const depth = c.req.header("depth") ?? "infinity";
  if (depth === "infinity") return davErrorResponse(403, "propfind-finite-depth");
  if (depth !== "0" && depth !== "1") return c.text("Depth must be 0 or 1\n", 400);
  const request = parsePropfind(await readXmlBody(c.req.raw));
  const self = await tree.files.stat(path);
  const members = self.directory && depth === "1" ? await tree.files.list(path) : [];
  return multistatusResponse([
    { href: hrefOf(tree, path, self.directory), propstats: propstatsOf(tree, self, path, request) },
    ...members.map((entry) => {
      const member = memberPath(path, entry.name);
      return {
        href: hrefOf(tree, member, entry.directory),
        propstats: propstatsOf(tree, entry, member, request),
      };
    }),
  ]);
}

export async function getOrHead(c: Context, tree: DavTree, path: string): Promise<Response> {
  const entry = await tree.files.stat(path);
  if (entry.directory) return c.text("a collection; use PROPFIND\n", 405);
  return await serveFile(c.req.raw, await tree.files.jail.resolveExisting(path));
}
