import { DOMParser, type Element, type Node, XMLSerializer } from "@xmldom/xmldom";

export type { Element };

/** The namespace of WebDAV's own elements and properties. */
export const dav = "DAV:";

/** A request body that is not well-formed, namespace-valid XML, or not the element the method expects. */
export class MalformedXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedXmlError";
  }
}

/**
 * Parses a request body into its root element, namespace-aware (WebDAV names are namespace + local
 * name; prefixes mean nothing). Every parser complaint, warnings included, refuses the body: a client
 * that sends broken XML gets 400, not a guess. A DOCTYPE is refused outright, so no entity declarations
 * (internal expansion bombs, external entities) are ever processed.
 */
export function parseXml(text: string): Element {
  if (/<!DOCTYPE/i.test(text)) throw new MalformedXmlError("a DOCTYPE is not accepted");
  let root: Element | null;
  try {
    const document = new DOMParser({
      onError: (level, message) => {
        throw new MalformedXmlError(`${level}: ${message}`);
      },
    }).parseFromString(text, "application/xml");
    root = document.documentElement;
  } catch (error) {
    if (error instanceof MalformedXmlError) throw error;
    throw new MalformedXmlError((error as Error).message.split("\n")[0]);
  }
  if (!root) throw new MalformedXmlError("no root element");
  return root;
}

/** The element children of `element`, in document order. */
export function childElements(element: Element): Element[] {
  const children: Element[] = [];
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) children.push(node as Element);
  }
  return children;
}

/** Whether `element` is {namespace}local. An element in no namespace has namespaceURI null. */
export function isElement(element: Element, namespace: string, local: string): boolean {
  return (element.namespaceURI ?? "") === namespace && element.localName === local;
}

/** The first child {namespace}local of `element`. */
export function childElement(element: Element, namespace: string, local: string): Element | undefined {
  return childElements(element).find((child) => isElement(child, namespace, local));
}

/**
 * An element as standalone XML: the serializer declares every namespace the subtree uses on the element
 * itself, so the text stays correct wherever it is pasted (a stored dead property, an echoed lock owner).
 */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

/** The element's children (text and elements) as standalone XML. */
export function serializeChildren(element: Element): string {
  let text = "";
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) text += serializeXml(node);
  return text;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An empty element for a property name (in a propname answer or a propstat), with its namespace. */
export function emptyElementXml(namespace: string, local: string): string {
  if (namespace === dav) return `<D:${local}/>`;
  return namespace === "" ? `<${local} xmlns=""/>` : `<x:${local} xmlns:x="${escapeXml(namespace)}"/>`;
}
