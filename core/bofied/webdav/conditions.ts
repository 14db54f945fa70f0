import type { Context } from "hono";
import { ifHeaderHolds, type IfList, parseIfHeader, submittedTokens } from "../../http/webdav/if_header.ts";
import { davErrorResponse } from "../../http/webdav/multistatus.ts";
import { type DavTree, entityTagOf, hrefOf, pathOfUri, principalOf, statOrUndefined } from "./tree.ts";

/** A resource a write changes: with `membership` it is added to or removed from its parent collection,
 * with `subtree` its members change too (DELETE, MOVE, a COPY's overwritten destination). */
export interface Change {
  path: string;
  membership: boolean;
  subtree: boolean;
}

/** The request's If header, parsed (an empty list when there is none). */
export function ifLists(c: Context): IfList[] {
  const header = c.req.header("if");
  return header ? parseIfHeader(header) : [];
}

/**
 * The preconditions of a write (RFC 4918 §10.4, §7): the If header must hold (else 412), and every lock
 * guarding a changed resource must have had its token submitted by its owner (else 423). Undefined when
 * the write may go ahead.
 */
/** Whether the If header holds (true when there is none), each list against the resource it names. */
export async function ifHolds(c: Context, tree: DavTree, path: string, lists: IfList[]): Promise<boolean> {
  if (lists.length === 0) return true;
  return await ifHeaderHolds(lists, async (resource) => {
    const target = resource === undefined ? path : pathOfUri(c, tree, resource);
    if (target === undefined) return undefined;
    const entry = await statOrUndefined(tree, target);
    const tokens = new Set(tree.locks.covering(target).map((lock) => lock.token));
    return { etag: entry && entityTagOf(entry), locked: (token) => tokens.has(token) };
  });
}

/**
 * The preconditions of a write (RFC 4918 §10.4, §7): the If header must hold (else 412), and every lock
 * guarding a changed resource must have had its token submitted by its owner (else 423). Undefined when
 * the write may go ahead.
 */
export async function checkWrite(
  c: Context,
  tree: DavTree,
  path: string,
  changes: Change[],
): Promise<Response | undefined> {
  const lists = ifLists(c);
  if (!(await ifHolds(c, tree, path, lists))) return c.text("the If header's conditions do not hold\n", 412);
  const submitted = submittedTokens(lists);
  const principal = principalOf(c);
  const blocked = changes.flatMap((change) =>
    tree.locks.unsatisfied(tree.locks.guarding(change.path, change), submitted, principal)
  );
  if (blocked.length > 0) {
    const roots = [...new Set(blocked.map((lock) => lock.root))];
    return davErrorResponse(423, "lock-token-submitted", roots.map((root) => hrefOf(tree, root, false)));
  }
  return undefined;
}
