import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { parsePropertyUpdate, parsePropfind } from "./property_request.ts";
import { MalformedXmlError, parseXml } from "./xml.ts";

Deno.test("PROPFIND bodies: empty is allprop; prop, propname, allprop with include; extra elements ignored", () => {
  assertEquals(parsePropfind(undefined), { kind: "allprop", include: [] });
  assertEquals(
    parsePropfind(
      parseXml(`<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><x xmlns=""/></D:prop></D:propfind>`),
    ),
    { kind: "prop", names: [{ namespace: "DAV:", local: "getetag" }, { namespace: "", local: "x" }] },
  );
  assertEquals(parsePropfind(parseXml(`<propfind xmlns="DAV:"><propname/></propfind>`)), {
    kind: "propname",
  });
  assertEquals(
    parsePropfind(
      parseXml(`<propfind xmlns="DAV:"><foobar/><allprop/><include><a xmlns="urn:a"/></include></propfind>`),
    ),
    { kind: "allprop", include: [{ namespace: "urn:a", local: "a" }] },
  );
  for (const body of [`<propfind xmlns="urn:not-dav"><allprop/></propfind>`, `<propfind xmlns="DAV:"/>`]) {
    assertThrows(() => parsePropfind(parseXml(body)), MalformedXmlError);
  }
});

Deno.test("PROPPATCH bodies: set and remove in document order, values as standalone XML", () => {
  const changes = parsePropertyUpdate(parseXml(
    `<propertyupdate xmlns="DAV:"><remove><prop><r xmlns="urn:n"/></prop></remove>` +
      `<set><prop><r xmlns="urn:n">x</r><t:v xmlns:t="urn:n"><foo xmlns="http://bar"/></t:v></prop></set>` +
      `</propertyupdate>`,
  ));
  assertEquals(changes, [
    { kind: "remove", name: { namespace: "urn:n", local: "r" } },
    { kind: "set", name: { namespace: "urn:n", local: "r" }, xml: `<r xmlns="urn:n">x</r>` },
    {
      kind: "set",
      name: { namespace: "urn:n", local: "v" },
      xml: `<t:v xmlns:t="urn:n"><foo xmlns="http://bar"/></t:v>`,
    },
  ]);
  for (const body of [`<propertyupdate xmlns="DAV:"/>`, `<propfind xmlns="DAV:"><allprop/></propfind>`]) {
    assertThrows(() => parsePropertyUpdate(parseXml(body)), MalformedXmlError);
  }
});
