// WebDAV class 2 on the bofied binary, the parts litmus does not look at closely: dead properties round-
// trip as sent, follow MOVE/COPY/DELETE and survive a restart without appearing in the served tree;
// DAV: properties are protected; lock timeouts are clamped; an unmapped URL's lock makes an empty file;
// a depth-infinity collection lock guards new members, and a tagged If header submits its token.
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";

function client(url: string, token: string) {
  return async (
    method: string,
    path: string,
    body: string | null = null,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      body,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
}

const update = (inner: string) =>
  `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:example:z">${inner}</D:propertyupdate>`;
const propfindOf = (inner: string) => `<?xml version="1.0"?><propfind xmlns="DAV:">${inner}</propfind>`;
const colour = `<Z:colour Z:shade="dark"><Z:name>blue &amp; green</Z:name><D:href>x</D:href></Z:colour>`;

Deno.test("webdav: dead properties round-trip, follow MOVE/COPY/DELETE, persist, and are never served", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ctpf-test-" });
  try {
    {
      await using bofied = await startBinary({
        entry: "cmd/bofied.ts",
        dataDir,
        args: ["--no-boot-starter"],
      });
      const dav = client(bofied.url, bofied.adminToken);
      assertEquals((await dav("PUT", "/dav/boot/a.ipxe", "#!ipxe\n")).status, 201);
      const set = await dav(
        "PROPPATCH",
        "/dav/boot/a.ipxe",
        update(`<D:set><D:prop>${colour}</D:prop></D:set>`),
      );
      assertEquals(set.status, 207);
      assertMatch(set.text, /<x:colour xmlns:x="urn:example:z"\/>.*HTTP\/1.1 200 OK/);

      const asked = await dav(
        "PROPFIND",
        "/dav/boot/a.ipxe",
        propfindOf(`<prop><z:colour xmlns:z="urn:example:z"/><z:none xmlns:z="urn:example:z"/></prop>`),
        { depth: "0" },
      );
      assertEquals(asked.status, 207);
      assertMatch(
        asked.text,
        /<Z:colour xmlns:Z="urn:example:z" Z:shade="dark"><Z:name>blue &amp; green<\/Z:name><D:href xmlns:D="DAV:">x<\/D:href><\/Z:colour>.*200 OK.*<x:none xmlns:x="urn:example:z"\/>.*404 Not Found/,
      );
      const names = await dav("PROPFIND", "/dav/boot/a.ipxe", propfindOf("<propname/>"), { depth: "0" });
      assertMatch(names.text, /<D:lockdiscovery\/>.*<x:colour xmlns:x="urn:example:z"\/>/);
      const all = await dav("PROPFIND", "/dav/boot/", "", { depth: "1" });
      assertMatch(all.text, /<D:supportedlock><D:lockentry>.*<Z:colour /);

      // DAV: properties are the server's: the whole PROPPATCH fails and nothing changes.
      const protectedOne = await dav(
        "PROPPATCH",
        "/dav/boot/a.ipxe",
        update(`<D:set><D:prop><D:getetag>"x"</D:getetag><Z:other>1</Z:other></D:prop></D:set>`),
      );
      assertMatch(
        protectedOne.text,
        /<D:getetag\/>.*403 Forbidden.*<x:other xmlns:x="urn:example:z"\/>.*424/,
      );
      const after = await dav("PROPFIND", "/dav/boot/a.ipxe", propfindOf("<propname/>"), { depth: "0" });
      assert(!after.text.includes("other"), after.text);

      assertEquals((await dav("MKCOL", "/dav/boot/d")).status, 201);
      const destination = (path: string) => ({ destination: `${bofied.url}${path}` });
      assertEquals(
        (await dav("MOVE", "/dav/boot/a.ipxe", null, destination("/dav/boot/d/b.ipxe"))).status,
        201,
      );
      assertEquals((await dav("COPY", "/dav/boot/d", null, destination("/dav/boot/e"))).status, 201);
      for (const path of ["/dav/boot/d/b.ipxe", "/dav/boot/e/b.ipxe"]) {
        const found = await dav("PROPFIND", path, propfindOf("<allprop/>"), { depth: "0" });
        assertMatch(found.text, /blue &amp; green/, path);
      }
      assertEquals((await dav("DELETE", "/dav/boot/e")).status, 204);
      assertEquals((await dav("PUT", "/dav/boot/e/b.ipxe", "x")).status, 409);
      assertEquals((await dav("MKCOL", "/dav/boot/e")).status, 201);
      assertEquals((await dav("PUT", "/dav/boot/e/b.ipxe", "x")).status, 201);
      const fresh = await dav("PROPFIND", "/dav/boot/e/b.ipxe", propfindOf("<allprop/>"), { depth: "0" });
      assert(!fresh.text.includes("colour"), "a new file at a deleted name inherited its properties");
    }
    await using restarted = await startBinary({
      entry: "cmd/bofied.ts",
      dataDir,
      args: ["--no-boot-starter"],
    });
    const dav = client(restarted.url, restarted.adminToken);
    const kept = await dav("PROPFIND", "/dav/boot/d/b.ipxe", propfindOf("<allprop/>"), { depth: "0" });
    assertMatch(kept.text, /<Z:colour xmlns:Z="urn:example:z" Z:shade="dark">/);
    // Nothing but the files themselves in the served tree.
    const served: string[] = [];
    const walk = async (dir: string, prefix: string) => {
      for await (const entry of Deno.readDir(dir)) {
        served.push(`${prefix}${entry.name}`);
        if (entry.isDirectory) await walk(`${dir}/${entry.name}`, `${prefix}${entry.name}/`);
      }
    };
    await walk(`${dataDir}/bofied/boot`, "");
    assertEquals(served.sort(), ["d", "d/b.ipxe", "e", "e/b.ipxe"]);

    // The API (and the page) change the same tree: its moves keep a file's properties, its deletes drop
    // them, and a file it writes at a freed name starts clean.
    const api = async (method: string, body: unknown) => {
      const response = await fetch(`${restarted.url}/ctpf.v1.BofiedService/${method}`, {
        method: "POST",
        headers: { authorization: `Bearer ${restarted.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      assertEquals(response.status, 200, `${method}: ${await response.clone().text()}`);
      await response.body?.cancel();
    };
    const propertiesOf = async (path: string) =>
      (await dav("PROPFIND", path, propfindOf("<allprop/>"), { depth: "0" })).text;
    await api("MoveFile", { from: "/d/b.ipxe", to: "/d/c.ipxe" });
    assertMatch(await propertiesOf("/dav/boot/d/c.ipxe"), /blue &amp; green/);
    await api("WriteFile", { path: "/d/b.ipxe", content: btoa("new") });
    assert(!(await propertiesOf("/dav/boot/d/b.ipxe")).includes("colour"), "API write inherited properties");
    await api("CopyFile", { from: "/d/c.ipxe", to: "/d/copy.ipxe" });
    assertMatch(await propertiesOf("/dav/boot/d/copy.ipxe"), /blue &amp; green/);
    await api("DeleteFile", { path: "/d/c.ipxe" });
    await api("WriteFile", { path: "/d/c.ipxe", content: btoa("again") });
    assert(
      !(await propertiesOf("/dav/boot/d/c.ipxe")).includes("colour"),
      "a deleted file's properties came back",
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

const lockInfo = (scope: string) =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:ops@example.com</D:href></D:owner></D:lockinfo>`;

Deno.test("webdav: lock timeouts, unmapped URLs, collection locks and tagged If headers", async () => {
  await using bofied = await startBinary({ entry: "cmd/bofied.ts" });
  const dav = client(bofied.url, bofied.adminToken);
  const options = await dav("OPTIONS", "/dav/boot/");
  assertEquals(options.headers.get("dav"), "1, 2");

  const unmapped = await dav("LOCK", "/dav/boot/new.ipxe", lockInfo("exclusive"), {
    depth: "0",
    timeout: "Second-99999999",
  });
  assertEquals(unmapped.status, 201);
  const token = /^<(.+)>$/.exec(unmapped.headers.get("lock-token") ?? "")?.[1];
  assert(token, "no Lock-Token header");
  assertMatch(unmapped.text, /<D:timeout>Second-3600<\/D:timeout>/);
  assertMatch(unmapped.text, /<D:owner><D:href xmlns:D="DAV:">mailto:ops@example.com<\/D:href><\/D:owner>/);
  const empty = await fetch(`${bofied.url}/boot/new.ipxe`);
  assertEquals([empty.status, await empty.text()], [200, ""]);
  assertEquals((await dav("PUT", "/dav/boot/new.ipxe", "x")).status, 423);
  // An If header that holds is not enough: the lock's own token must be among those submitted.
  assertEquals((await dav("PUT", "/dav/boot/new.ipxe", "x", { if: "(Not <urn:uuid:other>)" })).status, 423);
  assertEquals((await dav("PUT", "/dav/boot/new.ipxe", "x", { if: "(<urn:uuid:other>)" })).status, 412);
  assertEquals((await dav("PUT", "/dav/boot/new.ipxe", "x", { if: '(["not-the-etag"])' })).status, 412);
  assertEquals((await dav("PUT", "/dav/boot/new.ipxe", "x", { if: "(<urn:uuid:a" })).status, 400);
  assertEquals((await dav("PUT", "/dav/boot/new.ipxe", "#!ipxe\n", { if: `(<${token}>)` })).status, 204);
  const refreshed = await dav("LOCK", "/dav/boot/new.ipxe", null, {
    if: `(<${token}>)`,
    timeout: "Infinite",
  });
  assertEquals(refreshed.status, 200);
  assertMatch(refreshed.text, /Second-3600.*<D:href>urn:uuid:/);
  assertEquals((await dav("UNLOCK", "/dav/boot/new.ipxe", null, { "lock-token": `<${token}>` })).status, 204);
  assertEquals((await dav("UNLOCK", "/dav/boot/new.ipxe", null, { "lock-token": `<${token}>` })).status, 409);

  // A depth-infinity lock on a collection guards members that do not exist yet.
  assertEquals((await dav("MKCOL", "/dav/boot/c")).status, 201);
  const collection = await dav("LOCK", "/dav/boot/c/", lockInfo("exclusive"), { depth: "infinity" });
  assertEquals(collection.status, 200);
  const collectionToken = /^<(.+)>$/.exec(collection.headers.get("lock-token") ?? "")?.[1];
  assertMatch(collection.text, /<D:depth>infinity<\/D:depth>/);
  assertEquals((await dav("PUT", "/dav/boot/c/m.ipxe", "x")).status, 423);
  assertEquals((await dav("LOCK", "/dav/boot/c/m.ipxe", lockInfo("shared"), { depth: "0" })).status, 423);
  const tagged = `<${bofied.url}/dav/boot/c/> (<${collectionToken}>)`;
  assertEquals((await dav("PUT", "/dav/boot/c/m.ipxe", "x", { if: tagged })).status, 201);
  const discovered = await dav(
    "PROPFIND",
    "/dav/boot/c/m.ipxe",
    propfindOf("<prop><lockdiscovery/></prop>"),
    { depth: "0" },
  );
  assertMatch(
    discovered.text,
    new RegExp(`<D:locktoken><D:href>${collectionToken}</D:href>.*<D:lockroot><D:href>/dav/boot/c</D:href>`),
  );
  assertEquals((await dav("DELETE", "/dav/boot/c", null, { if: tagged })).status, 204);
  // The lock went with the collection.
  assertEquals((await dav("MKCOL", "/dav/boot/c")).status, 201);
  assertEquals((await dav("PUT", "/dav/boot/c/m.ipxe", "x")).status, 201);
});
