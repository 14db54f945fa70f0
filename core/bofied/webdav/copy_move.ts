import type { Context } from "hono";
import { isWithin } from "../../http/webdav/lock_table.ts";
import { checkWrite } from "./conditions.ts";
import { type DavTree, pathOfUri, statOrUndefined } from "./tree.ts";
import { parentExists } from "./write.ts";

/**
 * COPY and MOVE within one tree (RFC 4918 §9.8–9.9). Dead properties go with the resource; locks do not:
 * a copy starts unlocked, and a moved resource leaves its locks behind (they are dropped).
 */
export async function copyOrMove(c: Context, tree: DavTree, path: string): Promise<Response> {
  const move = c.req.method === "MOVE";
  const destination = c.req.header("destination");
  if (!destination) return c.text("Destination header required\n", 400);
  const to = pathOfUri(c, tree, destination);
  if (to === undefined) return c.text("Destination must be in the same tree\n", 502);
  const depth = c.req.header("depth") ?? "infinity";
  if (depth !== "infinity" && (move || depth !== "0")) return c.text(`Depth: ${depth} is not allowed\n`, 400);
  // Onto itself, into itself or over an ancestor would destroy the source.
  if (isWithin(to, path) || isWithin(path, to)) return c.text("source and destination overlap\n", 409);
  const overwrite = (c.req.header("overwrite") ?? "T").toUpperCase() !== "F";
  const source = await tree.files.stat(path);
  const existed = (await statOrUndefined(tree, to)) !== undefined;
  if (existed && !overwrite) return c.text("destination exists\n", 412);
  if (!(await parentExists(tree, to))) return c.text("destination's parent collection missing\n", 409);
  const destinationChange = { path: to, membership: true, subtree: true };
  const refused = await checkWrite(
    c,
    tree,
    path,
    move ? [{ path, membership: true, subtree: true }, destinationChange] : [destinationChange],
  );
  if (refused) return refused;
  if (move) {
    await tree.files.move(path, to, overwrite);
    tree.locks.forget(path);
  } else if (source.directory && depth === "0") {
    // A shallow copy of a collection: the collection and its properties, none of its members.
    if (existed) await tree.files.delete(to, true);
    await tree.files.makeDirectory(to);
    tree.properties.copy(path, to, false);
  } else {
    await tree.files.copy(path, to, overwrite);
  }
  tree.onChange?.(move ? "moved" : "copied", `${path} → ${to}`);
  return new Response(null, { status: existed ? 204 : 201 });
}
