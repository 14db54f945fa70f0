import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../testing/assert.ts";
import { unixGet } from "./unix_get.ts";

/** A unix-socket server that answers every connection with `reply(request)` and closes it. */
async function rawServer(reply: (request: string) => Uint8Array) {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-unix-get-" });
  const path = join(dir, "s.sock");
  const listener = Deno.listen({ transport: "unix", path });
  const requests: string[] = [];
  const serving = (async () => {
    for await (const connection of listener) {
      const buffer = new Uint8Array(4096);
      const read = await connection.read(buffer);
      const request = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
      requests.push(request);
      const bytes = reply(request);
      for (let at = 0; at < bytes.length;) at += await connection.write(bytes.subarray(at));
      connection.close();
    }
  })();
  return {
    path,
    requests,
    async [Symbol.asyncDispose]() {
      listener.close();
      await serving.catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const response = (head: string, body: Uint8Array) => {
  const headBytes = new TextEncoder().encode(head);
  const out = new Uint8Array(headBytes.length + body.length);
  out.set(headBytes);
  out.set(body, headBytes.length);
  return out;
};

Deno.test("unixGet: an HTTP/1.0 GET; a 5 MiB body arrives byte for byte; a 404's body is kept", async () => {
  const body = crypto.getRandomValues(new Uint8Array(65536)).slice();
  const big = new Uint8Array(5 * 1024 * 1024);
  for (let at = 0; at < big.length; at += body.length) big.set(body.subarray(0, big.length - at), at);
  await using server = await rawServer((request) =>
    request.startsWith("GET /v1.41/big ")
      ? response("HTTP/1.0 200 OK\r\nContent-Type: application/x-tar\r\n\r\n", big)
      : response("HTTP/1.0 404 Not Found\r\n\r\n", new TextEncoder().encode('{"message":"no such"}'))
  );
  const got = await unixGet(server.path, "/v1.41/big", 10 * 1024 * 1024);
  assertEquals(got.status, 200);
  assertEquals(got.body.length, big.length);
  assert(got.body.every((byte, i) => byte === big[i]), "same bytes");
  assertEquals(server.requests[0], "GET /v1.41/big HTTP/1.0\r\nHost: docker\r\n\r\n");
  const missing = await unixGet(server.path, "/v1.41/other", 1024);
  assertEquals([missing.status, new TextDecoder().decode(missing.body)], [404, '{"message":"no such"}']);
});

Deno.test("unixGet: a body over the limit, a head that never ends, a closed or non-HTTP answer are RangeErrors", async () => {
  await using tooBig = await rawServer(() => response("HTTP/1.0 200 OK\r\n\r\n", new Uint8Array(4096)));
  await assertRejects(() => unixGet(tooBig.path, "/x", 4095), RangeError);
  assertEquals((await unixGet(tooBig.path, "/x", 4096)).body.length, 4096);
  await using endless = await rawServer(() => new Uint8Array(70 * 1024).fill(65));
  await assertRejects(() => unixGet(endless.path, "/x", 1024), RangeError);
  await using closed = await rawServer(() => new TextEncoder().encode("HTTP/1.0 200 OK\r\n"));
  await assertRejects(() => unixGet(closed.path, "/x", 1024), RangeError);
  await using garbage = await rawServer(() => new TextEncoder().encode("SSH-2.0-OpenSSH\r\n\r\nhello"));
  await assertRejects(() => unixGet(garbage.path, "/x", 1024), RangeError);
  await assertRejects(() => unixGet(garbage.path, "/x y\r\nInjected: 1", 1024), TypeError);
});

Deno.test("unixGet: fuzz — mutated responses give a status and body or a RangeError, nothing else", async () => {
  const good = response("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", new TextEncoder().encode("hello"));
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let current = good;
  await using server = await rawServer(() => current);
  for (let i = 0; i < 300; i++) {
    const mutated = good.slice(0, Math.floor(random() * (good.length + 1)));
    for (let flips = Math.floor(random() * 4); flips > 0; flips--) {
      if (mutated.length) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
    }
    current = mutated;
    try {
      const got = await unixGet(server.path, "/x", 64);
      assert(got.status >= 100 && got.status <= 999 && got.body.length <= 64);
    } catch (error) {
      assert(error instanceof RangeError, `only RangeError, got ${error}`);
    }
  }
});
