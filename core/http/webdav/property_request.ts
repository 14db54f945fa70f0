import { childElements, dav, type Element, isElement, MalformedXmlError, serializeXml } from "./xml.ts";

/** A property's name: its namespace ("" for none) and local name. */
export interface PropertyName {
  namespace: string;
  local: string;
}

export function propertyNameOf(element: Element): PropertyName {
  return { namespace: element.namespaceURI ?? "", local: element.localName ?? "" };
}

/** What a PROPFIND asks for (RFC 4918 §9.1): all properties, their names only, or the named ones. */
export type PropfindRequest =
  | { kind: "allprop"; include: PropertyName[] }
  | { kind: "propname" }
  | { kind: "prop"; names: PropertyName[] };

const maxNames = 1000;

/** An empty body asks for all properties. Unknown elements beside the known ones are ignored. */
export function parsePropfind(root: Element | undefined): PropfindRequest {
  if (!root) return { kind: "allprop", include: [] };
  if (!isElement(root, dav, "propfind")) throw new MalformedXmlError("a PROPFIND body is a DAV:propfind");
  const children = childElements(root);
  const named = (element: Element | undefined) => {
    const names = element ? childElements(element).map(propertyNameOf) : [];
    if (names.length > maxNames) throw new MalformedXmlError("too many property names");
    return names;
  };
  const prop = children.find((child) => isElement(child, dav, "prop"));
  if (children.some((child) => isElement(child, dav, "propname"))) return { kind: "propname" };
  if (children.some((child) => isElement(child, dav, "allprop"))) {
    return { kind: "allprop", include: named(children.find((child) => isElement(child, dav, "include"))) };
  }
  if (prop) return { kind: "prop", names: named(prop) };
  throw new MalformedXmlError("DAV:propfind needs DAV:prop, DAV:allprop or DAV:propname");
}

/** One instruction of a PROPPATCH, in document order: set (with the element as XML) or remove. */
export type PropertyChange =
  | { kind: "set"; name: PropertyName; xml: string }
  | { kind: "remove"; name: PropertyName };

const maxChanges = 1000;

export function parsePropertyUpdate(root: Element): PropertyChange[] {
  if (!isElement(root, dav, "propertyupdate")) {
    throw new MalformedXmlError("a PROPPATCH body is a DAV:propertyupdate");
  }
  const changes: PropertyChange[] = [];
  for (const instruction of childElements(root)) {
    const set = isElement(instruction, dav, "set");
    if (!set && !isElement(instruction, dav, "remove")) continue;
    for (const prop of childElements(instruction).filter((child) => isElement(child, dav, "prop"))) {
      for (const property of childElements(prop)) {
        const name = propertyNameOf(property);
        changes.push(set ? { kind: "set", name, xml: serializeXml(property) } : { kind: "remove", name });
        if (changes.length > maxChanges) throw new MalformedXmlError("too many property changes");
      }
    }
  }
  if (changes.length === 0) throw new MalformedXmlError("DAV:propertyupdate changes nothing");
  return changes;
}
