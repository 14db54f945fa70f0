import type { Context } from "hono";
import type { Principal } from "../../auth/authenticator.ts";
import { etagOf } from "../../http/files.ts";
import { rawRequestPath } from "../../http/raw_path.ts";
import type { DeadProperties } from "../../http/webdav/dead_properties.ts";
import type { LockTable } from "../../http/webdav/lock_table.ts";
import type { FileEntry, ServedFiles } from "../files.ts";

/** One served tree as WebDAV sees it: where it is mounted, its files, its locks and dead properties. */
export interface DavTree {
  mount: string;
  files: ServedFiles;
  locks: LockTable;
  properties: DeadProperties;
  onChange?: (what: string, path: string) => void;
}

/** The tree's canonical name for a client's name ("/a/b/" → "/a/b"); the jail refuses bad ones. */
export function canonical(tree: DavTree, name: string): string {
  return tree.files.jail.nameOf(tree.files.jail.lexical(name));
}

/** The request's canonical path within the tree. */
export function requestPath(c: Context, tree: DavTree): string {
  return canonical(tree, rawRequestPath(c.req.url).slice(tree.mount.length) || "/");
}

export function hrefOf(tree: DavTree, path: string, directory: boolean): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `${tree.mount}${encoded}${directory && !encoded.endsWith("/") ? "/" : ""}`;
}

/** A member's canonical path. */
export function memberPath(parent: string, name: string): string {
  return `${parent === "/" ? "" : parent}/${name}`;
}

/**
 * The canonical path in this tree that a URI (a Destination header, an If header's resource tag) names,
 * or undefined when it names something else: another host, another tree.
 */
export function pathOfUri(c: Context, tree: DavTree, uri: string): string | undefined {
  const base = new URL(c.req.url);
  let target: URL;
  try {
    target = new URL(uri, base);
  } catch {
    return undefined;
  }
  if (target.host !== base.host) return undefined;
  // The path as sent, not as URL resolves it: a ".." must reach the jail and be refused there.
  const raw = rawRequestPath(uri.startsWith("/") ? `${target.origin}${uri}` : uri);
  if (raw !== tree.mount && !raw.startsWith(`${tree.mount}/`)) return undefined;
  return canonical(tree, raw.slice(tree.mount.length) || "/");
}

export async function statOrUndefined(tree: DavTree, path: string): Promise<FileEntry | undefined> {
  return await tree.files.stat(path).catch(() => undefined);
}

/** The entity tag GET and HEAD give the file, so If headers can name it; collections have none. */
export function entityTagOf(entry: FileEntry): string | undefined {
  return entry.directory ? undefined : etagOf({ size: entry.size, mtime: entry.modified ?? null });
}

/** Who is asking, as locks record it: a lock's token works only for the principal that took it. */
export function principalOf(c: Context): string {
  const principal = c.get("principal" as never) as Principal | undefined;
  return principal ? `${principal.kind}:${principal.name}` : "anonymous";
}
