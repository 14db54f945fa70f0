import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { checksumFor, fetchVerified } from "./release_download.ts";

const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A release server on loopback: /releases/<file>, /moved/<file> redirecting there. */
async function withRelease(files: Record<string, string>, fn: (base: string) => Promise<void>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/moved/")) {
      return Response.redirect(new URL(path.replace("/moved/", "/releases/"), request.url), 302);
    }
    const body = files[path.replace("/releases/", "")];
    return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

Deno.test("release download: the binary is taken only when its SHA-256 is the one the release lists", async () => {
  const binary = "#!/bin/sh\necho k3s\n";
  const list = `${await sha256("images")}  k3s-airgap-images-amd64.tar.zst\n${await sha256(binary)}  k3s\n`;
  await withRelease({ "k3s": binary, "sha256sum-amd64.txt": list, "k3s-bad": "tampered" }, async (base) => {
    const signal = AbortSignal.timeout(10_000);
    const good = await fetchVerified({
      kind: "download",
      url: `${base}/moved/k3s`,
      checksumsUrl: `${base}/releases/sha256sum-amd64.txt`,
      checksumName: "k3s",
    }, signal);
    assertEquals(new TextDecoder().decode(good), binary);
    const tampered = await assertRejects(() =>
      fetchVerified({
        kind: "download",
        url: `${base}/releases/k3s-bad`,
        checksumsUrl: `${base}/releases/sha256sum-amd64.txt`,
        checksumName: "k3s",
      }, signal)
    );
    assertEquals(
      tampered.message,
      `${base}/releases/k3s-bad: SHA-256 ${await sha256("tampered")} is not the release's ${await sha256(
        binary,
      )}; not used`,
    );
    const unlisted = await assertRejects(() =>
      fetchVerified({
        kind: "download",
        url: `${base}/releases/k3s`,
        checksumsUrl: `${base}/releases/sha256sum-amd64.txt`,
        checksumName: "k3s-arm64",
      }, signal)
    );
    assertEquals(unlisted.message, `${base}/releases/sha256sum-amd64.txt lists no SHA-256 for k3s-arm64`);
    const missing = await assertRejects(() =>
      fetchVerified({
        kind: "download",
        url: `${base}/releases/k3s`,
        checksumsUrl: `${base}/releases/sha256sum-arm64.txt`,
        checksumName: "k3s-arm64",
      }, signal)
    );
    assertEquals(missing.message, `GET ${base}/releases/sha256sum-arm64.txt: 404 Not Found`);
  });
});

Deno.test("release download: checksum lists as sha256sum writes them, binary mode included", () => {
  const hash = "a".repeat(64);
  assertEquals(checksumFor(`${hash}  k3s\n`, "k3s"), hash);
  assertEquals(checksumFor(`${hash} *k3s-arm64\r\n`, "k3s-arm64"), hash);
  assertEquals(checksumFor(`${hash}  k3s-arm64\n`, "k3s"), undefined);
  assertEquals(checksumFor("not a list", "k3s"), undefined);
});
