import type { Context } from "hono";
import { DeadPropertyLimitError } from "../../http/webdav/dead_properties.ts";
import { multistatusResponse } from "../../http/webdav/multistatus.ts";
import { parsePropertyUpdate } from "../../http/webdav/property_request.ts";
import { readXmlBody } from "../../http/webdav/request_body.ts";
import { dav, emptyElementXml, MalformedXmlError } from "../../http/webdav/xml.ts";
import { checkWrite } from "./conditions.ts";
import { type DavTree, hrefOf } from "./tree.ts";

/**
 * PROPPATCH (RFC 4918 §9.2): sets and removes dead properties, in document order, all or none. Properties
 * in the DAV: namespace are the server's (live or reserved) and cannot be changed.
 */
export async function proppatch(c: Context, tree: DavTree, path: string): Promise<Response> {
  const entry = await tree.files.stat(path);
  const root = await readXmlBody(c.req.raw);
  if (!root) throw new MalformedXmlError("PROPPATCH needs a DAV:propertyupdate body");
  const changes = parsePropertyUpdate(root);
  const refused = await checkWrite(c, tree, path, [{ path, membership: false, subtree: false }]);
  if (refused) return refused;
  const protectedOnes = changes.filter((change) => change.name.namespace === dav);
  let failure: number | undefined;
  if (protectedOnes.length === 0) {
    try {
      tree.properties.apply(path, changes);
    } catch (error) {
      if (!(error instanceof DeadPropertyLimitError)) throw error;
      failure = 507;
    }
  }
  const names = (list: typeof changes) => [
    ...new Map(list.map((change) => [
      `{${change.name.namespace}}${change.name.local}`,
      emptyElementXml(change.name.namespace, change.name.local),
    ])).values(),
  ];
  const others = changes.filter((change) => change.name.namespace !== dav);
  const propstats = protectedOnes.length > 0
    ? [{ status: 403, properties: names(protectedOnes) }, { status: 424, properties: names(others) }]
    : [{ status: failure ?? 200, properties: names(changes) }];
  if (!failure && protectedOnes.length === 0) tree.onChange?.("properties changed", path);
  return multistatusResponse([{ href: hrefOf(tree, path, entry.directory), propstats }]);
}
