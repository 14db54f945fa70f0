import { contentTypeOf } from "../../http/files.ts";
import type { ActiveLock } from "../../http/webdav/lock_table.ts";
import { activeLockXml, supportedLockXml } from "../../http/webdav/lock_xml.ts";
import type { Propstat } from "../../http/webdav/multistatus.ts";
import type { PropfindRequest } from "../../http/webdav/property_request.ts";
import { dav, emptyElementXml, escapeXml } from "../../http/webdav/xml.ts";
import type { FileEntry } from "../files.ts";
import { type DavTree, entityTagOf, hrefOf } from "./tree.ts";

/** A live property: computed from the file and the lock table, never stored. */
type LiveProperty = (entry: FileEntry) => string | undefined;

const live: Record<string, LiveProperty> = {
  displayname: (entry) => `<D:displayname>${escapeXml(entry.name)}</D:displayname>`,
  resourcetype: (entry) =>
    entry.directory ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>",
  getcontentlength: (entry) =>
    entry.directory ? undefined : `<D:getcontentlength>${entry.size}</D:getcontentlength>`,
  getcontenttype: (entry) =>
    entry.directory ? undefined : `<D:getcontenttype>${contentTypeOf(entry.name)}</D:getcontenttype>`,
  getetag: (entry) => {
    const etag = entityTagOf(entry);
    return etag && `<D:getetag>${escapeXml(etag)}</D:getetag>`;
  },
  getlastmodified: (entry) =>
    `<D:getlastmodified>${(entry.modified ?? new Date(0)).toUTCString()}</D:getlastmodified>`,
  supportedlock: () => supportedLockXml,
};

/** DAV:activelock elements for `locks`, with their roots' hrefs and the time each has left. */
export function activeLocksXml(tree: DavTree, locks: ActiveLock[]): string {
  return locks.map((lock) =>
    activeLockXml(lock, hrefOf(tree, lock.root, false), tree.locks.secondsLeft(lock))
  )
    .join("");
}

function lockDiscoveryXml(tree: DavTree, path: string): string {
  const locks = tree.locks.covering(path);
  return locks.length === 0
    ? "<D:lockdiscovery/>"
    : `<D:lockdiscovery>${activeLocksXml(tree, locks)}</D:lockdiscovery>`;
}

/** The properties of one resource that a PROPFIND asks for, grouped by status. */
export function propstatsOf(
  tree: DavTree,
  entry: FileEntry,
  path: string,
  request: PropfindRequest,
): Propstat[] {
  const values = new Map<string, string>();
  for (const [local, property] of Object.entries(live)) {
    const value = property(entry);
    if (value !== undefined) values.set(`{DAV:}${local}`, value);
  }
  values.set("{DAV:}lockdiscovery", lockDiscoveryXml(tree, path));
  const dead = tree.properties.list(path);
  for (const property of dead) values.set(`{${property.namespace}}${property.local}`, property.xml);

  if (request.kind === "allprop") return [{ status: 200, properties: [...values.values()] }];
  if (request.kind === "propname") {
    const names = [...Object.keys(live), "lockdiscovery"]
      .filter((local) => values.has(`{DAV:}${local}`))
      .map((local) => emptyElementXml(dav, local));
    return [{
      status: 200,
      properties: [...names, ...dead.map((property) => emptyElementXml(property.namespace, property.local))],
    }];
  }
  const found: string[] = [], missing: string[] = [];
  for (const name of request.names) {
    const value = values.get(`{${name.namespace}}${name.local}`);
    if (value !== undefined) found.push(value);
    else missing.push(emptyElementXml(name.namespace, name.local));
  }
  return [{ status: 200, properties: found }, { status: 404, properties: missing }];
}
