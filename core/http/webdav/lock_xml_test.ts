import { assertEquals, assertMatch, assertThrows } from "../../testing/assert.ts";
import { activeLockXml, parseLockInfo } from "./lock_xml.ts";
import { MalformedXmlError, parseXml } from "./xml.ts";

const info = (scope: string, type = "<D:write/>", owner = "") =>
  parseXml(
    `<D:lockinfo xmlns:D="DAV:"><D:lockscope>${scope}</D:lockscope><D:locktype>${type}</D:locktype>${owner}</D:lockinfo>`,
  );

Deno.test("lockinfo: scope, write type and the owner echoed as XML", () => {
  assertEquals(parseLockInfo(info("<D:shared/>")), { scope: "shared", owner: "" });
  assertEquals(
    parseLockInfo(info("<D:exclusive/>", "<D:write/>", "<D:owner><D:href>mailto:a@b</D:href></D:owner>")),
    { scope: "exclusive", owner: `<D:href xmlns:D="DAV:">mailto:a@b</D:href>` },
  );
  for (
    const bad of [
      info("<D:everyone/>"),
      info("<D:exclusive/>", "<D:read/>"),
      info("<D:exclusive/>", "<D:write/>", `<D:owner>${"x".repeat(5000)}</D:owner>`),
      parseXml(`<D:propfind xmlns:D="DAV:"/>`),
    ]
  ) {
    assertThrows(() => parseLockInfo(bad), MalformedXmlError);
  }
});

Deno.test("activelock: scope, depth, owner, time left, token and root", () => {
  const xml = activeLockXml(
    {
      token: "urn:uuid:1",
      root: "/a",
      depth: "infinity",
      scope: "shared",
      owner: "litmus",
      principal: "token:admin",
      timeoutSeconds: 600,
      expiresAt: 0,
    },
    "/dav/boot/a&b",
    42,
  );
  assertMatch(
    xml,
    /<D:lockscope><D:shared\/><\/D:lockscope><D:depth>infinity<\/D:depth><D:owner>litmus<\/D:owner>/,
  );
  assertMatch(xml, /<D:timeout>Second-42<\/D:timeout><D:locktoken><D:href>urn:uuid:1<\/D:href>/);
  assertMatch(xml, /<D:lockroot><D:href>\/dav\/boot\/a&#38;b<\/D:href><\/D:lockroot>/);
});
