// WebDAV on the bofied binary through curl: the verbs rclone's webdav backend uses, credentials, jail.
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { scrapeMetrics } from "../../core/testing/metrics.ts";

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
    const metrics = await scrapeMetrics(bofied);
    // Each write done counts once. Refusals count by reason where a credential or a file operation was
    // refused; what a method decides itself (an existing target, a missing parent, Depth: infinity, a
    // Destination elsewhere, a collection moved into itself) is its answer, not a refusal.
    assertEquals(
      ["PUT", "MKCOL", "COPY", "MOVE", "DELETE"].map((method) =>
        metrics.value("ctpf_bofied_webdav_writes_total", { method })
      ),
      [2, 1, 1, 1, 1],
    );
    assertEquals(
      ["unauthorized", "path_traversal", "conflict", "not_found"].map((reason) =>
        metrics.value("ctpf_bofied_refusals_total", { protocol: "webdav", reason })
      ),
      [2, 3, 0, 1],
    );
  } finally {
    await Deno.remove(file);
  }
});

const haveRclone = await new Deno.Command("sh", { args: ["-c", "command -v rclone"], stdout: "null" })
  .output()
  .then((result) => result.success);

Deno.test({
  name: "webdav: rclone's webdav backend lists, uploads, moves and deletes with a token; refused without one",
  ignore: !haveRclone,
  async fn() {
    // An empty tree (no starter files): the listings below are exactly what rclone made.
    await using bofied = await startBinary({ entry: "cmd/bofied.ts", args: ["--no-boot-starter"] });
    const dir = await Deno.makeTempDir({ prefix: "ctpf-rclone-" });
    try {
      await Deno.writeTextFile(`${dir}/rclone.conf`, "");
      await Deno.writeTextFile(`${dir}/boot.ipxe`, "#!ipxe\necho rclone\n");
      // An on-the-fly remote (":webdav:") configured by flags, as a script would use it.
      const rclone = async (token: string | undefined, ...args: string[]) => {
        const output = await new Deno.Command("rclone", {
          args: [
            "--config",
            `${dir}/rclone.conf`,
            "--webdav-url",
            `${bofied.url}/dav/boot`,
            "--webdav-vendor",
            "other",
            ...(token ? ["--webdav-bearer-token", token] : []),
            "--low-level-retries",
            "1",
            "--retries",
            "1",
            ...args,
          ],
          stdout: "piped",
          stderr: "piped",
          signal: AbortSignal.timeout(30_000),
        }).output();
        return {
          ok: output.success,
          out: new TextDecoder().decode(output.stdout),
          err: new TextDecoder().decode(output.stderr),
        };
      };
      const token = bofied.adminToken;
      const check = (result: { ok: boolean; err: string }, what: string) =>
        assert(result.ok, `${what}: ${result.err}`);
      check(await rclone(token, "mkdir", ":webdav:ipxe"), "mkdir");
      check(await rclone(token, "copyto", `${dir}/boot.ipxe`, ":webdav:ipxe/boot.ipxe"), "copyto");
      assertEquals(await (await fetch(`${bofied.url}/boot/ipxe/boot.ipxe`)).text(), "#!ipxe\necho rclone\n");
      const listed = await rclone(token, "lsf", "-R", ":webdav:");
      check(listed, "lsf");
      assertEquals(listed.out.trim().split("\n").sort(), ["ipxe/", "ipxe/boot.ipxe"]);
      check(await rclone(token, "moveto", ":webdav:ipxe/boot.ipxe", ":webdav:ipxe/menu.ipxe"), "moveto");
      assertEquals(
        await fetch(`${bofied.url}/boot/ipxe/boot.ipxe`).then((r) => (r.body?.cancel(), r.status)),
        404,
      );
      assertEquals(await (await fetch(`${bofied.url}/boot/ipxe/menu.ipxe`)).text(), "#!ipxe\necho rclone\n");
      check(await rclone(token, "deletefile", ":webdav:ipxe/menu.ipxe"), "deletefile");
      assertEquals((await rclone(token, "lsf", ":webdav:ipxe")).out.trim(), "");

      const refused = await rclone(undefined, "lsf", ":webdav:");
      assert(!refused.ok, "rclone listed without a token");
      assertMatch(refused.err, /401|Unauthorized|unauthori[sz]ed/i);
      const refusedWrite = await rclone("not-a-token", "copyto", `${dir}/boot.ipxe`, ":webdav:x.ipxe");
      assert(!refusedWrite.ok, "rclone uploaded with a bad token");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
