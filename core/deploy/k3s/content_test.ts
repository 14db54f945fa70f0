import { join } from "node:path";
import { assertEquals, assertRejects, assertStrictEquals } from "../../testing/assert.ts";
import { ControllerContent } from "./content.ts";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("controller content: each source read once per run; a failed read is tried again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-k3s-content-" });
  let requests = 0;
  const binary = "#!/bin/sh\necho k3s\n";
  const digest = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(binary))),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    requests++;
    const path = new URL(request.url).pathname;
    return new Response(path === "/k3s" ? binary : `${digest}  k3s\n`);
  });
  try {
    const content = new ControllerContent(AbortSignal.timeout(10_000));
    const artifact = join(dir, "k3s");
    const source = { kind: "controller-file" as const, path: artifact };
    await assertRejects(() => content.bytes(source), Deno.errors.NotFound);
    await Deno.writeTextFile(artifact, "the user's k3s");
    const [first, second] = await Promise.all([content.bytes(source), content.bytes(source)]);
    assertEquals(decode(first), "the user's k3s");
    assertStrictEquals(first, second, "read once for every host");
    // Changed on disk during the run: the run keeps what it read first, so every host gets the same.
    await Deno.writeTextFile(artifact, "another k3s");
    assertEquals(decode(await content.bytes(source)), "the user's k3s");
    assertEquals(
      decode(await content.bytes({ kind: "text", text: "cluster-init: true\n" })),
      "cluster-init: true\n",
    );

    const base = `http://127.0.0.1:${server.addr.port}`;
    const download = {
      kind: "download" as const,
      url: `${base}/k3s`,
      checksumsUrl: `${base}/sha256sum-amd64.txt`,
      checksumName: "k3s",
    };
    const downloads = await Promise.all([content.bytes(download), content.bytes(download)]);
    assertEquals(downloads.map(decode), [binary, binary]);
    assertEquals(requests, 2, "the list and the binary, fetched once for both hosts");
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
