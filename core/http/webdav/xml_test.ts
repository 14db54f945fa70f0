import { assertEquals, assertThrows } from "../../testing/assert.ts";
import {
  childElements,
  dav,
  emptyElementXml,
  isElement,
  MalformedXmlError,
  parseXml,
  serializeXml,
} from "./xml.ts";

Deno.test("webdav xml: names are namespace and local name, whatever the prefix", () => {
  const root = parseXml(
    `<propfind xmlns="DAV:"><prop><Z:foo xmlns:Z="urn:z"/><D:bar xmlns:D="DAV:"/></prop></propfind>`,
  );
  assertEquals(isElement(root, dav, "propfind"), true);
  const names = childElements(childElements(root)[0]).map((e) => [e.namespaceURI, e.localName]);
  assertEquals(names, [["urn:z", "foo"], ["DAV:", "bar"]]);
});

Deno.test("webdav xml: malformed bodies, bad namespace declarations and DOCTYPEs are refused", () => {
  for (
    const body of [
      "<foo>",
      "",
      "not xml",
      `<D:propfind xmlns:D="DAV:"><D:prop><bar:foo xmlns:bar=""/></D:prop></D:propfind>`,
      "<a><b:c/></a>",
      `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`,
      "<a>&undefined;</a>",
    ]
  ) {
    assertThrows(() => parseXml(body), MalformedXmlError);
  }
});

Deno.test("webdav xml: a subtree serializes with the namespaces it needs, high code points intact", () => {
  const root = parseXml(
    `<D:set xmlns:D="DAV:" xmlns:t="urn:t"><t:v t:a="1"><D:href>h</D:href>&#65536;</t:v><n xmlns="">x</n></D:set>`,
  );
  const [value, plain] = childElements(root);
  assertEquals(
    serializeXml(value),
    `<t:v xmlns:t="urn:t" t:a="1"><D:href xmlns:D="DAV:">h</D:href>\u{10000}</t:v>`,
  );
  assertEquals(serializeXml(plain), `<n xmlns="">x</n>`);
  assertEquals(emptyElementXml("", "n"), `<n xmlns=""/>`);
  assertEquals(emptyElementXml("DAV:", "getetag"), "<D:getetag/>");
  assertEquals(emptyElementXml("urn:a&b", "p"), `<x:p xmlns:x="urn:a&#38;b"/>`);
});
