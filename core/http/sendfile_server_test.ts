// The sendfile server on loopback with real clients (curl) and raw sockets for what clients rarely do on
// purpose: pipelining, HTTP/1.0, garbage, stalling mid-body, vanishing mid-body, idling.
import { createHash } from "node:crypto";
import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { type RouteAnswer, SendfileServer, type SendfileServerOptions } from "./sendfile_server.ts";
import type { RequestHead } from "./request_head.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const encoder = new TextEncoder(), decoder = new TextDecoder();

async function withServer(
  work: (server: SendfileServer, root: string, big: Uint8Array) => Promise<void>,
  options: Partial<SendfileServerOptions> = {},
) {
  const root = await Deno.makeTempDir({ prefix: "ctpf-sendfile-" });
  const big = new Uint8Array(8 * 1024 * 1024 + 3);
  for (let i = 0; i < big.length; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
  await Deno.writeFile(`${root}/big.img`, big);
  await Deno.writeTextFile(`${root}/small.txt`, "hello\n");
  // A plain route for these tests; bofied's (jail, caches) is tested in core/bofied/http_test.ts.
  const route = (head: RequestHead): RouteAnswer => {
    const name = head.target.slice(1);
    if (!/^[a-z]+\.[a-z]+$/.test(name)) return { kind: "status", status: 404, text: "not found\n" };
    try {
      return {
        kind: "file",
        name,
        file: { path: `${root}/${name}`, info: Deno.statSync(`${root}/${name}`) },
      };
    } catch {
      return { kind: "status", status: 404, text: "not found\n" };
    }
  };
  const server = new SendfileServer({ address: "127.0.0.1", port: 0, route, ...options });
  server.start();
  try {
    await work(server, root, big);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
}

/** Everything the server sends on one raw connection until it closes it (or `until` says enough). */
async function exchange(port: number, request: string, until?: (text: string) => boolean): Promise<string> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  await connection.write(encoder.encode(request));
  let text = "";
  const buffer = new Uint8Array(65536);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !until?.(text)) {
    const read = await connection.read(buffer);
    if (read === null) break;
    text += decoder.decode(buffer.subarray(0, read));
  }
  connection.close();
  return text;
}

async function curl(...args: string[]) {
  const output = await new Deno.Command("curl", { args: ["-sS", ...args], stdout: "piped", stderr: "piped" })
    .output();
  return { code: output.code, stdout: output.stdout, text: decoder.decode(output.stdout) };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("sendfile server: curl fetches whole, ranged and HEAD answers over one kept-alive connection", () =>
  withServer(async (server, _root, big) => {
    const url = `http://127.0.0.1:${server.port}`;
    const whole = await curl(`${url}/big.img`);
    assertEquals(sha256(whole.stdout), sha256(big));
    const middle = await curl("-r", "4000000-4999999", `${url}/big.img`);
    assertEquals(sha256(middle.stdout), sha256(big.subarray(4_000_000, 5_000_000)));
    const head = await curl("-I", `${url}/big.img`);
    assertMatch(head.text, new RegExp(`content-length: ${big.length}`));
    // Three transfers in one curl run share one connection.
    const before = server.stats.accepted;
    const three = await curl(
      "-o",
      "/dev/null",
      "-o",
      "/dev/null",
      "-o",
      "/dev/null",
      `${url}/small.txt`,
      `${url}/big.img`,
      `${url}/small.txt`,
    );
    assertEquals(three.code, 0);
    assertEquals(server.stats.accepted - before, 1);
  }));

Deno.test("sendfile server: pipelined requests are answered in order on one connection", () =>
  withServer(async (server) => {
    const one = "GET /small.txt HTTP/1.1\r\nHost: h\r\n\r\n";
    const text = await exchange(
      server.port,
      one + "GET /missing.txt HTTP/1.1\r\nHost: h\r\n\r\n" +
        "HEAD /small.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((match) => match[1]);
    assertEquals(statuses, ["200", "404", "200"]);
    assertEquals(text.split("hello\n").length - 1, 1, "the HEAD answer has no body");
    assertMatch(text, /connection: close\r\n\r\n$/);
  }));

Deno.test("sendfile server: HTTP/1.0 closes after the answer unless it asks for keep-alive", () =>
  withServer(async (server) => {
    const closed = await exchange(server.port, "GET /small.txt HTTP/1.0\r\n\r\n");
    assertMatch(closed, /^HTTP\/1\.1 200 OK\r\n[^]*connection: close\r\n\r\nhello\n$/);
    const kept = await exchange(
      server.port,
      "GET /small.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
      (text) => text.endsWith("hello\n"),
    );
    assertMatch(kept, /connection: keep-alive\r\n/);
  }));

Deno.test("sendfile server: refusals — bad heads, bodies, methods, 304 and 416 — and the counters", () =>
  withServer(async (server) => {
    const first = (text: string) => /^HTTP\/1\.1 (\d+)/.exec(text)?.[1];
    assertEquals(first(await exchange(server.port, "NONSENSE\r\n\r\n")), "400");
    assertEquals(
      first(await exchange(server.port, `GET / HTTP/1.1\r\nHost: h\r\nX: ${"a".repeat(9000)}\r\n\r\n`)),
      "431",
    );
    assertEquals(
      first(await exchange(server.port, "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")),
      "413",
    );
    const deleted = await exchange(
      server.port,
      "DELETE /small.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assertEquals(first(deleted), "405");
    assertMatch(deleted, /allow: GET, HEAD\r\n/);
    const etag = /etag: (\S+)/.exec(await exchange(server.port, "HEAD /small.txt HTTP/1.0\r\n\r\n"))?.[1];
    const notModified = await exchange(
      server.port,
      `GET /small.txt HTTP/1.0\r\nIf-None-Match: ${etag}\r\n\r\n`,
    );
    assertEquals(first(notModified), "304");
    assert(!notModified.includes("hello"), "a 304 has no body");
    const beyond = await exchange(server.port, "GET /small.txt HTTP/1.0\r\nRange: bytes=100-\r\n\r\n");
    assertEquals(first(beyond), "416");
    assertMatch(beyond, /content-range: bytes \*\/6\r\n/);
    assertEquals(server.stats.malformed, 3);
  }));

Deno.test("sendfile server: a reader that stalls mid-body gets every byte, and others are served meanwhile", () =>
  withServer(async (server, _root, big) => {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await connection.write(encoder.encode("GET /big.img HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
    const received: Uint8Array[] = [];
    const buffer = new Uint8Array(65536);
    let total = 0;
    // Read a little, then stall long enough for the socket buffers to fill and the server to wait.
    for (let i = 0; i < 4; i++) {
      const read = await connection.read(buffer);
      if (read === null) break;
      received.push(buffer.slice(0, read));
      total += read;
    }
    await delay(1000);
    const other = await curl(`http://127.0.0.1:${server.port}/small.txt`);
    assertEquals(other.text, "hello\n", "the stalled transfer blocks nobody else");
    for (let read = await connection.read(buffer); read !== null; read = await connection.read(buffer)) {
      received.push(buffer.slice(0, read));
      total += read;
    }
    connection.close();
    const all = new Uint8Array(total);
    let at = 0;
    for (const chunk of received) all.set(chunk, at), at += chunk.length;
    const text = decoder.decode(all.subarray(0, 400));
    const bodyAt = text.indexOf("\r\n\r\n") + 4;
    assertEquals(sha256(all.subarray(bodyAt)), sha256(big));
    assert(server.stats.stalls >= 1, "the stalled reader made the server wait for room");
  }));

Deno.test("sendfile server: clients vanishing mid-body and idling are cleaned up; close() ends the rest", () =>
  withServer(async (server) => {
    for (let i = 0; i < 20; i++) {
      const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await connection.write(encoder.encode("GET /big.img HTTP/1.1\r\nHost: h\r\n\r\n"));
      await connection.read(new Uint8Array(1000));
      connection.close();
    }
    const idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    for (let i = 0; i < 50 && server.stats.open !== 1; i++) await delay(50);
    assertEquals(server.stats.open, 1, "the vanished clients' connections are closed, the idle one stays");
    // idleMs is 500: the sweeper closes the silent connection within about a second and a half.
    assertEquals(await idle.read(new Uint8Array(10)), null);
    idle.close();
    assertEquals(server.stats.timedOut, 1);
    const small = await curl(`http://127.0.0.1:${server.port}/small.txt`);
    assertEquals(small.text, "hello\n");
    const open = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    for (let i = 0; i < 50 && server.stats.open !== 1; i++) await delay(20);
    await server.close();
    assertEquals(await open.read(new Uint8Array(10)), null);
    open.close();
    let refused = false;
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port: server.port })).close();
    } catch (error) {
      refused = error instanceof Deno.errors.ConnectionRefused;
    }
    assert(refused, "the port is released after close()");
  }, { idleMs: 500 }));

Deno.test("sendfile server: 32 concurrent curl downloads all arrive intact", () =>
  withServer(async (server, _root, big) => {
    const expected = sha256(big);
    const results = await Promise.all(
      Array.from({ length: 32 }, () => curl(`http://127.0.0.1:${server.port}/big.img`)),
    );
    for (const result of results) assertEquals(sha256(result.stdout), expected);
    assertEquals(server.stats.requests, 32);
  }));

Deno.test("sendfile server: more connections than the limits (in all, per client) are refused", async () => {
  for (const limits of [{ maxConnections: 2 }, { maxConnectionsPerPeer: 2 }]) {
    await withServer(async (server) => {
      const held = await Promise.all(
        Array.from({ length: 2 }, () => Deno.connect({ hostname: "127.0.0.1", port: server.port })),
      );
      for (let i = 0; i < 50 && server.stats.open < 2; i++) await delay(20);
      const refused = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      assertEquals(await refused.read(new Uint8Array(10)), null, JSON.stringify(limits));
      refused.close();
      for (const connection of held) connection.close();
      assertEquals(server.stats.refusedOverLimit, 1);
    }, limits);
  }
});

Deno.test("sendfile server: a head trickling in a byte at a time is cut off at the head deadline", () =>
  withServer(async (server) => {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const started = performance.now();
    let closedAfter = 0;
    // Every 150 ms one more byte of a head that never ends: activity, but no request.
    for (let i = 0; i < 40 && closedAfter === 0; i++) {
      try {
        await connection.write(encoder.encode(i === 0 ? "GET /small.txt HTTP/1.1\r\nX: " : "a"));
      } catch {
        closedAfter = performance.now() - started;
        break;
      }
      await delay(150);
      if (server.stats.timedOut > 0) closedAfter = performance.now() - started;
    }
    connection.close();
    // Closed while bytes kept coming, which the 60 s keep-alive time alone could not have done.
    assert(closedAfter > 0, "the trickling connection was never closed");
    assertEquals(server.stats.timedOut, 1);
  }, { headTimeoutMs: 600, idleMs: 60_000 }));

Deno.test("sendfile server: after a last answer, more bytes from the client do not reset it (lingering close)", () =>
  withServer(async (server, _root, big) => {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await connection.write(encoder.encode("GET /big.img HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
    // Let the answer fill the buffers, then send more before reading: a plain close() with these bytes
    // unread would reset the connection and lose the rest of the body.
    await delay(300);
    await connection.write(encoder.encode("GET /small.txt HTTP/1.1\r\nHost: h\r\n\r\n"));
    let total = 0;
    const buffer = new Uint8Array(65536);
    for (let read = await connection.read(buffer); read !== null; read = await connection.read(buffer)) {
      total += read;
    }
    connection.close();
    assert(total > big.length, `got ${total} of at least ${big.length} bytes`);
  }));

Deno.test("sendfile server: a file replaced or swapped for a FIFO after its check is never sent as checked", () =>
  withServer(async (server, root) => {
    // A route that checked the file once and keeps that answer, as bofied's one-second lookup cache does.
    const checked = Deno.statSync(`${root}/small.txt`);
    await server.close();
    const statuses: number[] = [];
    const stale = new SendfileServer({
      address: "127.0.0.1",
      port: 0,
      route: () => ({ kind: "file", name: "small.txt", file: { path: `${root}/small.txt`, info: checked } }),
      onServed: (served) => statuses.push(served.status),
    });
    stale.start();
    try {
      const url = `http://127.0.0.1:${stale.port}/small.txt`;
      assertEquals((await curl(url)).text, "hello\n");
      await Deno.writeTextFile(`${root}/new.txt`, "HELLO\n");
      await Deno.rename(`${root}/new.txt`, `${root}/small.txt`);
      const replaced = await curl("-o", "/dev/null", "-w", "%{http_code}", url);
      assertEquals(replaced.text, "503");
      await Deno.remove(`${root}/small.txt`);
      const mkfifo = await new Deno.Command("mkfifo", { args: [`${root}/small.txt`] }).output();
      assert(mkfifo.success);
      const fifo = await curl("-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url);
      assertEquals(fifo.text, "503", "a FIFO is neither sent nor allowed to block the loop");
      assertEquals(statuses, [200, 503, 503], "events tell what the client got");
    } finally {
      await stale.close();
    }
  }));

Deno.test("sendfile server: the head deadline starts after our answer is out, and ignores empty lines", () =>
  withServer(async (server, _root, big) => {
    // A big answer taken slowly (longer than the head deadline), with half of the next head sent at once:
    // that head's time starts when the answer is out, as nginx's client_header_timeout does.
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await connection.write(
      encoder.encode("GET /big.img HTTP/1.1\r\nHost: h\r\n\r\nGET /small.txt HTTP/1.1\r\nHo"),
    );
    const buffer = new Uint8Array(1 << 20);
    // Not reading for longer than the deadline keeps the server writing (8 MiB outgrow the socket
    // buffers); then the rest is read at once.
    await delay(2000);
    let total = 0;
    while (total < big.length) {
      const read = await connection.read(buffer);
      if (read === null) break;
      total += read;
    }
    await delay(1000);
    await connection.write(encoder.encode("st: h\r\n\r\n"));
    let text = "";
    while (!text.endsWith("hello\n")) {
      const read = await connection.read(buffer);
      if (read === null) break;
      text += decoder.decode(buffer.subarray(0, read));
    }
    connection.close();
    assertMatch(text, /HTTP\/1\.1 200 OK[^]*hello\n$/);
    // A stray CRLF after a request is not a head: the connection idles under keep-alive, not the deadline.
    const idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await idle.write(encoder.encode("GET /small.txt HTTP/1.1\r\nHost: h\r\n\r\n\r\n"));
    await idle.read(buffer);
    await delay(2000);
    await idle.write(encoder.encode("GET /small.txt HTTP/1.1\r\nHost: h\r\n\r\n"));
    const again = await idle.read(buffer);
    idle.close();
    assert(again !== null && decoder.decode(buffer.subarray(0, again)).includes("hello"), "kept alive");
    assertEquals(server.stats.timedOut, 0);
  }, { headTimeoutMs: 1500, idleMs: 30_000 }));
