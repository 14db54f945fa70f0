import { assert, assertEquals } from "../testing/assert.ts";
import { completionSignal, withSignal } from "./completion_signal.ts";

/** Serves `handler` on loopback for `run`; Deno's own warnings (console.warn) are collected meanwhile. */
async function serving(
  handler: Deno.ServeHandler,
  run: (url: string) => Promise<void>,
): Promise<unknown[][]> {
  const warnings: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  try {
    await run(`http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`);
  } finally {
    await server.shutdown();
    console.warn = warn;
  }
  return warnings;
}

Deno.test("completion signal: the copy keeps the request, aborts once answered, and Deno stays quiet", async () => {
  const ended = Promise.withResolvers<boolean>();
  const warnings = await serving(async (request, info) => {
    const copy = withSignal(request, completionSignal(info));
    copy.signal.addEventListener("abort", () => ended.resolve(true));
    const body = `${copy.method} ${new URL(copy.url).pathname} ${copy.headers.get("x-test")} ${await copy
      .text()}`;
    return new Response(body, { headers: { "aborted-while-handling": String(copy.signal.aborted) } });
  }, async (url) => {
    const response = await fetch(`${url}/path`, {
      method: "POST",
      headers: { "x-test": "yes" },
      body: "hello",
    });
    assertEquals(await response.text(), "POST /path yes hello");
    assertEquals(response.headers.get("aborted-while-handling"), "false");
    assert(await ended.promise);
  });
  assertEquals(warnings, []);
});

Deno.test("completion signal: a client leaving mid-stream aborts it", async () => {
  const ended = Promise.withResolvers<void>();
  await serving((_request, info) => {
    completionSignal(info).addEventListener("abort", () => ended.resolve());
    // A stream with nothing more to say: only the signal can tell its producer the client is gone.
    const body = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("first\n")) });
    return new Response(body);
  }, async (url) => {
    const client = new AbortController();
    const response = await fetch(url, { signal: client.signal });
    await response.body!.getReader().read();
    client.abort();
    await ended.promise;
  });
});
