import type { Hono } from "hono";
import { assets } from "./assets.gen.ts";

// The UI only talks to its own origin; nothing inline, nothing framed.
const securityHeaders = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Serves the embedded web shell: `/` and its assets. The page itself holds no data; the API is guarded. */
export function mountWebShell(app: Hono): void {
  const serve = (path: string) => (c: { req: { header(name: string): string | undefined } }) => {
    const asset = assets[path];
    const etag = `"${asset.etag}"`;
    const headers = { ...securityHeaders, etag, "cache-control": "no-cache", "content-type": asset.type };
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return new Response(asset.body, { status: 200, headers });
  };
  app.get("/", serve("/"));
  app.get("/index.html", serve("/"));
  app.get("/assets/app.js", serve("/assets/app.js"));
  app.get("/assets/app.css", serve("/assets/app.css"));
}
