import type { ActiveLock, LockScope } from "./lock_table.ts";
import {
  childElement,
  childElements,
  dav,
  type Element,
  escapeXml,
  isElement,
  MalformedXmlError,
  serializeChildren,
} from "./xml.ts";

/** What a LOCK body (DAV:lockinfo) asks for. */
export interface LockInfo {
  scope: LockScope;
  /** DAV:owner's content as XML ("" when none was given). */
  owner: string;
}

const maxOwnerLength = 4096;

export function parseLockInfo(root: Element): LockInfo {
  if (!isElement(root, dav, "lockinfo")) throw new MalformedXmlError("a LOCK body is a DAV:lockinfo");
  const scopeElement = childElement(root, dav, "lockscope");
  const scope = scopeElement && childElements(scopeElement)[0];
  const typeElement = childElement(root, dav, "locktype");
  const type = typeElement && childElements(typeElement)[0];
  if (!scope || !(isElement(scope, dav, "exclusive") || isElement(scope, dav, "shared"))) {
    throw new MalformedXmlError("DAV:lockscope must hold DAV:exclusive or DAV:shared");
  }
  if (!type || !isElement(type, dav, "write")) {
    throw new MalformedXmlError("DAV:locktype must hold DAV:write");
  }
  const ownerElement = childElement(root, dav, "owner");
  const owner = ownerElement ? serializeChildren(ownerElement) : "";
  if (owner.length > maxOwnerLength) throw new MalformedXmlError("DAV:owner is too long");
  return { scope: scope.localName as LockScope, owner };
}

/** One DAV:activelock, as lock discovery and LOCK answers show it. */
export function activeLockXml(lock: ActiveLock, rootHref: string, secondsLeft: number): string {
  return `<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:${lock.scope}/></D:lockscope>` +
    `<D:depth>${lock.depth}</D:depth>` +
    (lock.owner ? `<D:owner>${lock.owner}</D:owner>` : "") +
    `<D:timeout>Second-${secondsLeft}</D:timeout>` +
    `<D:locktoken><D:href>${escapeXml(lock.token)}</D:href></D:locktoken>` +
    `<D:lockroot><D:href>${escapeXml(rootHref)}</D:href></D:lockroot></D:activelock>`;
}

/** DAV:supportedlock: exclusive and shared write locks. */
export const supportedLockXml = "<D:supportedlock>" +
  ["exclusive", "shared"].map((scope) =>
    `<D:lockentry><D:lockscope><D:${scope}/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>`
  ).join("") + "</D:supportedlock>";
