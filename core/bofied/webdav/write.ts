import type { Context } from "hono";
import { readBodyText } from "../../http/webdav/request_body.ts";
import { parentOf } from "../../http/webdav/lock_table.ts";
import { checkWrite } from "./conditions.ts";
import { type DavTree, statOrUndefined } from "./tree.ts";

/** Whether the parent collection of `path` exists (RFC 4918: a missing one is a conflict, 409). */
export async function parentExists(tree: DavTree, path: string): Promise<boolean> {
  return (await statOrUndefined(tree, parentOf(path)))?.directory ?? false;
}

export async function put(c: Context, tree: DavTree, path: string): Promise<Response> {
  if (path === "/") return c.text("the root is a collection\n", 405);
  const existing = await statOrUndefined(tree, path);
  if (existing?.directory) return c.text("a collection cannot be written with PUT\n", 405);
  if (!(await parentExists(tree, path))) return c.text("parent collection missing\n", 409);
  const refused = await checkWrite(c, tree, path, [{ path, membership: !existing, subtree: false }]);
  if (refused) return refused;
  const body = c.req.raw.body ?? new ReadableStream({ start: (controller) => controller.close() });
  // A new resource starts without dead properties: ServedFiles drops any a file of that name once had.
  await tree.files.writeStream(path, body);
  tree.onChange?.("uploaded", path);
  return new Response(null, { status: existing ? 204 : 201 });
}

export async function mkcol(c: Context, tree: DavTree, path: string): Promise<Response> {
  // RFC 4918 §9.3: a body MKCOL does not understand is refused, and every body is one here.
  if ((await readBodyText(c.req.raw, 64 * 1024)) !== "") {
    return c.text("MKCOL takes no body\n", 415);
  }
  if (await statOrUndefined(tree, path)) return c.text("exists\n", 405);
  if (!(await parentExists(tree, path))) return c.text("parent collection missing\n", 409);
  const refused = await checkWrite(c, tree, path, [{ path, membership: true, subtree: false }]);
  if (refused) return refused;
  await tree.files.makeDirectory(path);
  tree.onChange?.("directory made", path);
  return new Response(null, { status: 201 });
}

export async function remove(c: Context, tree: DavTree, path: string): Promise<Response> {
  await tree.files.stat(path);
  const refused = await checkWrite(c, tree, path, [{ path, membership: true, subtree: true }]);
  if (refused) return refused;
  await tree.files.delete(path, true);
  tree.locks.forget(path);
  tree.onChange?.("deleted", path);
  return new Response(null, { status: 204 });
}
