// bofied's HTTP file serving through curl, the real client: HEAD, byte ranges, checksums, traversal and
// the private area's credentials, on the main port (router, fast path) and on the sendfile port.
// Loopback only.
import { Hono } from "hono";
import { createHash } from "node:crypto";
import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { Authenticator } from "../auth/authenticator.ts";
import { SqliteAuthRepository } from "../auth/store_sqlite.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { SendfileServer } from "../http/sendfile_server.ts";
import { bootFastPath, bootFileRoute, type BootHttpOptions, mountBootHttp } from "./http.ts";
import { FileCache } from "./file_cache.ts";
import { Jail } from "./jail.ts";

async function curl(...args: string[]) {
  const output = await new Deno.Command("curl", { args: ["-sS", ...args], stdout: "piped", stderr: "piped" })
    .output();
  return { code: output.code, stdout: output.stdout, text: new TextDecoder().decode(output.stdout) };
}

interface Served {
  path: string;
  status: number;
  bytes: number;
  client: string;
}

/**
 * "router": Hono only. "fast": as bofied's main port runs, a file cache and the fast path in front of the
 * router. "sendfile": the --boot-http-listen port (core/http's sendfile server), with the file cache.
 */
type Mode = "router" | "fast" | "sendfile";

async function withServer(
  work: (url: string, token: string, file: Uint8Array, base: string, served: Served[]) => Promise<void>,
  mode: Mode = "router",
) {
  const cached = mode !== "router";
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
  const served: Served[] = [];
  const options: BootHttpOptions = {
    publicJail: new Jail(`${base}/public`),
    privateJail: new Jail(`${base}/private`),
    auth,
    anonymousRead: false,
    cache: cached ? new FileCache(16 << 20, 8 << 20) : undefined,
    onServed: (event) => served.push(event),
  };
  mountBootHttp(app, options);
  const fast = bootFastPath(options);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request, info) => fast(request, info) ?? app.fetch(request, info),
  );
  const sendfile = mode === "sendfile"
    ? new SendfileServer({
      address: "127.0.0.1",
      port: 0,
      route: bootFileRoute(options),
      onServed: options.onServed,
    })
    : undefined;
  sendfile?.start();
  try {
    await work(`http://127.0.0.1:${sendfile?.port ?? server.addr.port}`, token, file, base, served);
  } finally {
    await sendfile?.close();
    await server.shutdown();
    store.close();
    await Deno.remove(base, { recursive: true });
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const MODE_NAMES: Record<Mode, string> = {
  router: "",
  fast: " (cached, fast path)",
  sendfile: " (sendfile port)",
};
for (const mode of ["router", "fast", "sendfile"] as const) {
  Deno.test(`bofied http: curl downloads, HEADs and ranges a boot file${MODE_NAMES[mode]}`, () =>
    withServer(async (url, _token, file) => {
      // Twice: the second round is answered from memory when cached.
      for (let round = 0; round < 2; round++) await downloadsHeadsAndRanges(url, file);
    }, mode));
  Deno.test(`bofied http: traversal is refused; private files need a credential${MODE_NAMES[mode]}`, () =>
    withServer((url, token, _file, base) => refusals(url, token, base, mode), mode));
}

async function downloadsHeadsAndRanges(url: string, file: Uint8Array) {
  {
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
  }
}

async function refusals(url: string, token: string, base: string, mode: Mode) {
  {
    await Deno.symlink(`${base}/outside.txt`, `${base}/public/boot/escape.txt`);
    // A name through a file, and a name too long for the file system: nothing there.
    for (const path of ["/boot/boot/vmlinuz/x", `/boot/boot/${"n".repeat(300)}`]) {
      const nothing = await curl("-o", "/dev/null", "-w", "%{http_code}", `${url}${path}`);
      assertEquals(nothing.text, "404", path.slice(0, 40));
    }
    const symlinked = await curl(`${url}/boot/boot/escape.txt`);
    assert(symlinked.text.startsWith("refused"), `a symlink out of the root: ${symlinked.text}`);
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
    if (mode === "sendfile") {
      // The sendfile port serves the public tree only; private files stay behind the main port's login.
      assertEquals(refused.text, "404");
      const withToken = await curl("-H", `Authorization: Bearer ${token}`, `${url}/private/secret.txt`);
      assert(!withToken.text.includes("private\n"), withToken.text);
      const outside = await curl("--path-as-is", `${url}/boot/../private/secret.txt`);
      assert(outside.text.startsWith("refused"), outside.text);
      return;
    }
    assertEquals(refused.text, "401");
    const allowed = await curl("-H", `Authorization: Bearer ${token}`, `${url}/private/secret.txt`);
    assertEquals(allowed.text, "private\n");
    const basic = await curl("-u", `any:${token}`, `${url}/private/secret.txt`);
    assertEquals(basic.text, "private\n");
  }
}

for (const mode of ["fast", "sendfile"] as const) {
  Deno.test(`bofied http: answers from memory, sees changes within a second, reports each answer${MODE_NAMES[mode]}`, () =>
    withServer(async (url, _token, _file, base, served) => {
      const small = `${base}/public/boot/script.ipxe`;
      await Deno.writeTextFile(small, "#!ipxe\necho one\n");
      const first = await fetch(`${url}/boot/boot/script.ipxe`);
      const etag = first.headers.get("etag") ?? "";
      assertEquals(await first.text(), "#!ipxe\necho one\n");
      const again = await fetch(`${url}/boot/boot/script.ipxe`);
      assertEquals(again.headers.get("etag"), etag);
      assertEquals(again.headers.get("content-type"), "text/plain; charset=utf-8");
      assertEquals(again.headers.get("content-length"), "16");
      assertEquals(await again.text(), "#!ipxe\necho one\n");
      const notModified = await fetch(`${url}/boot/boot/script.ipxe`, { headers: { "if-none-match": etag } });
      await notModified.body?.cancel();
      assertEquals(notModified.status, 304);
      const part = await fetch(`${url}/boot/boot/script.ipxe`, { headers: { range: "bytes=7-10" } });
      assertEquals([part.status, await part.text()], [206, "echo"]);
      const head = await fetch(`${url}/boot/boot/script.ipxe`, { method: "HEAD" });
      assertEquals([head.status, head.headers.get("content-length")], [200, "16"]);
      await Deno.writeTextFile(small, "#!ipxe\necho two, longer\n");
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const changed = await fetch(`${url}/boot/boot/script.ipxe`);
      assert(changed.headers.get("etag") !== etag, "a changed file keeps its old validator");
      assertEquals(await changed.text(), "#!ipxe\necho two, longer\n");
      const statuses = served.filter((event) => event.path === "/boot/script.ipxe").map((event) =>
        event.status
      );
      assertEquals(statuses, [200, 200, 304, 206, 200, 200]);
      assert(served.every((event) => event.client === "127.0.0.1"), JSON.stringify(served));
      assertEquals(served.find((event) => event.status === 206)?.bytes, 4);
    }, mode));
}
