import type { Context } from "hono";
import { submittedTokens } from "../../http/webdav/if_header.ts";
import { type ActiveLock, LockConflictError, requestedTimeout } from "../../http/webdav/lock_table.ts";
import { parseLockInfo } from "../../http/webdav/lock_xml.ts";
import { davErrorResponse } from "../../http/webdav/multistatus.ts";
import { readXmlBody } from "../../http/webdav/request_body.ts";
import { checkWrite, ifHolds, ifLists } from "./conditions.ts";
import { activeLocksXml } from "./properties.ts";
import { type DavTree, principalOf, statOrUndefined } from "./tree.ts";
import { parentExists } from "./write.ts";

function lockAnswer(tree: DavTree, locks: ActiveLock[], status: number, token?: string): Response {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<D:prop xmlns:D="DAV:"><D:lockdiscovery>` +
    `${activeLocksXml(tree, locks)}</D:lockdiscovery></D:prop>`;
  const headers: Record<string, string> = { "content-type": "application/xml; charset=utf-8" };
  if (token) headers["lock-token"] = `<${token}>`;
  return new Response(body, { status, headers });
}

/**
 * LOCK (RFC 4918 §9.10): with a DAV:lockinfo body a new write lock, exclusive or shared, depth 0 or
 * infinity; on an unmapped URL it creates an empty file (§7.3). Without a body it refreshes the locks
 * whose tokens the If header submits and that cover the URL (so a member refreshes its collection's).
 */
export async function lock(c: Context, tree: DavTree, path: string): Promise<Response> {
  const depth = (c.req.header("depth") ?? "infinity").toLowerCase();
  if (depth !== "0" && depth !== "infinity") return c.text("Depth must be 0 or infinity\n", 400);
  const timeout = requestedTimeout(c.req.header("timeout"), tree.locks.maxTimeoutSeconds) ??
    tree.locks.maxTimeoutSeconds;
  const info = await readXmlBody(c.req.raw);
  const principal = principalOf(c);

  if (!info) {
    const lists = ifLists(c);
    const tokens = submittedTokens(lists);
    const mine = tree.locks.covering(path).filter((lock) => tokens.has(lock.token));
    if (mine.length === 0) return davErrorResponse(412, "lock-token-matches-request-uri");
    if (mine.some((lock) => lock.principal !== principal)) return c.text("not your lock\n", 403);
    if (!(await ifHolds(c, tree, path, lists))) {
      return c.text("the If header's conditions do not hold\n", 412);
    }
    return lockAnswer(tree, mine.map((lock) => tree.locks.refresh(lock.token, timeout)!), 200);
  }

  const { scope, owner } = parseLockInfo(info);
  const existing = await statOrUndefined(tree, path);
  if (!existing && !(await parentExists(tree, path))) return c.text("parent collection missing\n", 409);
  const refused = await checkWrite(
    c,
    tree,
    path,
    existing ? [] : [{ path, membership: true, subtree: false }],
  );
  if (refused) return refused;
  let taken: ActiveLock;
  try {
    taken = tree.locks.lock({
      root: path,
      depth: existing?.directory ? depth as "0" | "infinity" : "0",
      scope,
      owner,
      principal,
      timeoutSeconds: timeout,
    });
  } catch (error) {
    if (error instanceof LockConflictError) return davErrorResponse(423, "no-conflicting-lock");
    throw error;
  }
  if (!existing) {
    try {
      await tree.files.write(path, new Uint8Array());
    } catch (error) {
      tree.locks.unlock(taken.token);
      throw error;
    }
    tree.onChange?.("locked empty file made", path);
  }
  return lockAnswer(tree, [taken], existing ? 200 : 201, taken.token);
}

/** UNLOCK (RFC 4918 §9.11): removes the lock named by Lock-Token, which must cover the URL. */
export function unlock(c: Context, tree: DavTree, path: string): Response {
  const token = /^\s*<([^>]+)>\s*$/.exec(c.req.header("lock-token") ?? "")?.[1];
  if (!token) return c.text("Lock-Token header required\n", 400);
  const held = tree.locks.covering(path).find((lock) => lock.token === token);
  if (!held) return davErrorResponse(409, "lock-token-matches-request-uri");
  if (held.principal !== principalOf(c)) return c.text("not your lock\n", 403);
  tree.locks.unlock(token);
  return new Response(null, { status: 204 });
}
