/**
 * Reading EC2's XML answers: elements are found by local name (EC2 puts everything in one namespace),
 * lists are `<xSet><item>…</item></xSet>`. A DOCTYPE is refused, so no entity is ever expanded.
 */
import { DOMParser, type Element, type Node } from "@xmldom/xmldom";

export type { Element };

export function parseXmlDocument(text: string): Element {
  if (/<!DOCTYPE/i.test(text)) throw new Error("a DOCTYPE is not accepted");
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, "text/xml");
  if (!document.documentElement) throw new Error("no root element");
  return document.documentElement;
}

export function children(element: Element | undefined, localName?: string): Element[] {
  const found: Element[] = [];
  if (!element) return found;
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const child = node as Element;
    if (localName === undefined || child.localName === localName) found.push(child);
  }
  return found;
}

/** The element at a path of local names below `element` ("instanceState/name"). */
export function at(element: Element | undefined, path: string): Element | undefined {
  let current = element;
  for (const name of path.split("/")) current = children(current, name)[0];
  return current;
}

/** The text at a path, "" when absent. */
export function textAt(element: Element | undefined, path: string): string {
  return at(element, path)?.textContent?.trim() ?? "";
}

/** The `<item>` children of the set at a path ("tagSet", "reservationSet"). */
export function items(element: Element | undefined, path: string): Element[] {
  return children(at(element, path), "item");
}
