// bofied's HTTP file serving through curl, the real client: HEAD, byte ranges, checksums, traversal and
// the private area's credentials. Loopback only.
import { Hono } from "hono";
import { createHash } from "node:crypto";
import { assert, assertEquals, assertMatch } from "../../tests/support/assert.ts";
import { Authenticator } from "../auth/authenticator.ts";
import { SqliteAuthRepository } from "../auth/store_sqlite.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { mountBootHttp } from "./http.ts";
import { Jail } from "./jail.ts";

async function curl(...args: string[]) {
  const output = await new Deno.Command("curl", { args: ["-sS", ...args], stdout: "piped", stderr: "piped" })
    .output();
  return { code: output.code, stdout: output.stdout, text: new TextDecoder().decode(output.stdout) };
}

async function withServer(work: (url: string, token: string, file: Uint8Array) => Promise<void>) {
  const base = await Deno.makeTempDir({ prefix: "ctpf-boot-http-" });
  const store = SqliteStore.open(":memory:");
  const auth = new Authenticator(new SqliteAuthRepository(store), { sessionTtlMs: 60_000 });
  const token = auth.createToken("test", "viewer").text;
  await Deno.mkdir(`${base}/public/boot`, { recursive: true });
  await Deno.mkdir(`${base}/private`);
  const file = new Uint8Array(3 * 1024 * 1024 + 17);
  // getRandomValues fills at most 64 KiB per call.
  for (let i = 0; i < file.length; i += 65536) crypto.getRandomValues(file.subarray(i, i + 65536));
  await Deno.writeFile(`${base}/public/boot/vmlinuz`, file);
  await Deno.writeTextFile(`${base}/private/secret.txt`, "private\n");
  await Deno.writeTextFile(`${base}/outside.txt`, "outside\n");
  const app = new Hono();
  mountBootHttp(app, {
    publicJail: new Jail(`${base}/public`),
    privateJail: new Jail(`${base}/private`),
    auth,
    anonymousRead: false,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    await work(`http://127.0.0.1:${server.addr.port}`, token, file);
  } finally {
    await server.shutdown();
    store.close();
    await Deno.remove(base, { recursive: true });
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

Deno.test("bofied http: curl downloads, HEADs and ranges a boot file", () =>
  withServer(async (url, _token, file) => {
    const whole = await curl(`${url}/boot/boot/vmlinuz`);
    assertEquals(whole.code, 0);
    assertEquals(sha256(whole.stdout), sha256(file));
    const head = await curl("-I", `${url}/boot/boot/vmlinuz`);
    assertMatch(head.text, /HTTP\/1\.1 200/);
    assertMatch(head.text, new RegExp(`content-length: ${file.length}`, "i"));
    assertMatch(head.text, /accept-ranges: bytes/i);
    const part = await curl("-r", "1000-1999", "-D", "-", "-o", "/dev/null", `${url}/boot/boot/vmlinuz`);
    assertMatch(part.text, /HTTP\/1\.1 206/);
    assertMatch(part.text, new RegExp(`content-range: bytes 1000-1999/${file.length}`, "i"));
    const bytes = await curl("-r", "1000-1999", `${url}/boot/boot/vmlinuz`);
    assertEquals(sha256(bytes.stdout), sha256(file.subarray(1000, 2000)));
    const tail = await curl("-r", "-17", `${url}/boot/boot/vmlinuz`);
    assertEquals([...tail.stdout], [...file.subarray(file.length - 17)]);
    const beyond = await curl(
      "-r",
      `${file.length}-`,
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      `${url}/boot/boot/vmlinuz`,
    );
    assertEquals(beyond.text, "416");
  }));

Deno.test("bofied http: traversal is refused; private files need a credential", () =>
  withServer(async (url, token) => {
    for (
      const path of [
        "/boot/../outside.txt",
        "/boot/%2e%2e/outside.txt",
        "/boot/..%2foutside.txt",
        "/boot/boot/%00x",
      ]
    ) {
      const response = await curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", `${url}${path}`);
      assert(["400", "403", "404"].includes(response.text), `${path} gave ${response.text}`);
    }
    const escaped = await curl("--path-as-is", `${url}/boot/..%2foutside.txt`);
    assert(escaped.text !== "outside\n" && escaped.text.startsWith("refused"), escaped.text);
    const refused = await curl("-o", "/dev/null", "-w", "%{http_code}", `${url}/private/secret.txt`);
    assertEquals(refused.text, "401");
    const allowed = await curl("-H", `Authorization: Bearer ${token}`, `${url}/private/secret.txt`);
    assertEquals(allowed.text, "private\n");
    const basic = await curl("-u", `any:${token}`, `${url}/private/secret.txt`);
    assertEquals(basic.text, "private\n");
  }));
