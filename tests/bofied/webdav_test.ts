// WebDAV on the bofied binary through curl: the verbs rclone's webdav backend uses, credentials, jail.
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";

async function dav(
  url: string,
  token: string | undefined,
  method: string,
  path: string,
  extra: string[] = [],
) {
  const auth = token ? ["-H", `Authorization: Bearer ${token}`] : [];
  const output = await new Deno.Command("curl", {
    args: ["-sS", "--path-as-is", "-X", method, "-w", "\n%{http_code}", ...auth, ...extra, `${url}${path}`],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  const cut = text.lastIndexOf("\n");
  return { status: Number(text.slice(cut + 1)), body: text.slice(0, cut) };
}

Deno.test("webdav: list, upload, mkcol, move, copy, delete with a token; refused without one", async () => {
  await using bofied = await startBinary({ entry: "cmd/bofied.ts" });
  const { url, adminToken: token } = bofied;
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, "kernel bytes\n");
    assertEquals((await dav(url, undefined, "PROPFIND", "/dav/boot/", ["-H", "Depth: 1"])).status, 401);
    assertEquals(
      (await dav(url, undefined, "PUT", "/dav/boot/x", ["--data-binary", `@${file}`])).status,
      401,
    );

    assertEquals((await dav(url, token, "OPTIONS", "/dav/boot/")).status, 200);
    assertEquals((await dav(url, token, "MKCOL", "/dav/boot/images")).status, 201);
    assertEquals((await dav(url, token, "MKCOL", "/dav/boot/images")).status, 405);
    assertEquals((await dav(url, token, "MKCOL", "/dav/boot/a/b")).status, 409);
    assertEquals(
      (await dav(url, token, "PUT", "/dav/boot/images/vmlinuz", ["--data-binary", `@${file}`])).status,
      201,
    );
    assertEquals(
      (await dav(url, token, "PUT", "/dav/boot/images/vmlinuz", ["--data-binary", `@${file}`])).status,
      204,
    );
    assertEquals(
      (await dav(url, token, "PUT", "/dav/boot/missing/dir/file", ["--data-binary", `@${file}`])).status,
      409,
    );

    const listing = await dav(url, token, "PROPFIND", "/dav/boot/images/", ["-H", "Depth: 1"]);
    assertEquals(listing.status, 207);
    assertMatch(listing.body, /<D:href>\/dav\/boot\/images\/<\/D:href>.*<D:collection\/>/);
    assertMatch(
      listing.body,
      /<D:href>\/dav\/boot\/images\/vmlinuz<\/D:href>.*<D:getcontentlength>13<\/D:getcontentlength>/,
    );
    assertEquals((await dav(url, token, "PROPFIND", "/dav/boot/", ["-H", "Depth: infinity"])).status, 403);

    const destination = (path: string) => ["-H", `Destination: ${url}${path}`];
    assertEquals(
      (await dav(url, token, "COPY", "/dav/boot/images/vmlinuz", destination("/dav/boot/copy"))).status,
      201,
    );
    assertEquals(
      (await dav(url, token, "MOVE", "/dav/boot/copy", [
        ...destination("/dav/boot/images/vmlinuz"),
        "-H",
        "Overwrite: F",
      ])).status,
      412,
    );
    assertEquals(
      (await dav(url, token, "MOVE", "/dav/boot/copy", destination("/dav/boot/moved"))).status,
      201,
    );
    assertEquals((await dav(url, token, "GET", "/dav/boot/moved")).body, "kernel bytes\n");
    // Moving a collection onto itself or into itself must not destroy it.
    assertEquals(
      (await dav(url, token, "MOVE", "/dav/boot/images", destination("/dav/boot/images"))).status,
      409,
    );
    assertEquals(
      (await dav(url, token, "COPY", "/dav/boot/images", destination("/dav/boot/images/sub"))).status,
      409,
    );
    assertEquals(
      (await dav(url, token, "PROPFIND", "/dav/boot/images/vmlinuz", ["-H", "Depth: 0"])).status,
      207,
    );
    // What WebDAV writes, booting machines read over plain HTTP.
    assertEquals(await (await fetch(`${url}/boot/images/vmlinuz`)).text(), "kernel bytes\n");
    assertEquals((await dav(url, token, "DELETE", "/dav/boot/images")).status, 204);
    assertEquals((await dav(url, token, "GET", "/dav/boot/images/vmlinuz")).status, 404);

    for (const path of ["/dav/boot/../private/x", "/dav/boot/%2e%2e/x", "/dav/boot/a%00b"]) {
      const response = await dav(url, token, "PUT", path, ["--data-binary", `@${file}`]);
      assert([400, 403, 404].includes(response.status), `${path}: ${response.status}`);
    }
    const escape = await dav(
      url,
      token,
      "MOVE",
      "/dav/boot/moved",
      destination("/dav/private/../../outside"),
    );
    assert(escape.status >= 400, `escape by Destination: ${escape.status}`);
  } finally {
    await Deno.remove(file);
  }
});
