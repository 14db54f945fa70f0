// The bofied binary end to end on loopback: files managed over the API, served over TFTP (curl) and HTTP,
// boot rules dry-run and checked, events streamed, and every refusal where it belongs.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BofiedService, FileArea } from "../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { waitFor } from "../harness/wait.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { scrapeMetrics } from "../../core/testing/metrics.ts";

const encoder = new TextEncoder();

function client(url: string, token?: string) {
  return createClient(
    BofiedService,
    createConnectTransport({
      baseUrl: url,
      interceptors: token
        ? [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))]
        : [],
    }),
  );
}

async function code(promise: Promise<unknown>): Promise<Code> {
  return ConnectError.from(await assertRejects(() => promise)).code;
}

async function curl(...args: string[]) {
  const output = await new Deno.Command("curl", {
    args: ["-sS", "--max-time", "20", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, text: new TextDecoder().decode(output.stdout) };
}

Deno.test("bofied: upload over the API, fetch over TFTP and HTTP, see the transfer events", async () => {
  // An empty tree (no starter files), so the listing below is exactly what this test made.
  await using bofied = await startBinary({
    entry: "cmd/bofied.ts",
    args: ["--tftp-listen", "127.0.0.1:0", "--no-boot-starter"],
  });
  const api = client(bofied.url, bofied.adminToken);
  const info = await api.getBootInfo({});
  assert(info.tftpPort > 0, "TFTP is listening");
  assertEquals(info.rulesError, "");
  const events = api.subscribeToEvents({ history: 10 })[Symbol.asyncIterator]();

  await api.writeFile({
    area: FileArea.BOOT,
    path: "/ipxe/boot.ipxe",
    content: encoder.encode("#!ipxe\nshell\n"),
    parents: true,
  });
  assertEquals((await api.listFiles({ area: FileArea.BOOT, path: "/ipxe" })).entries.map((e) => e.name), [
    "boot.ipxe",
  ]);
  assertEquals((await curl(`tftp://127.0.0.1:${info.tftpPort}/ipxe/boot.ipxe`)).text, "#!ipxe\nshell\n");
  assertEquals((await curl(`${bofied.url}/boot/ipxe/boot.ipxe`)).text, "#!ipxe\nshell\n");
  const missing = await curl(`tftp://127.0.0.1:${info.tftpPort}/ipxe/missing.efi`);
  assert(missing.code !== 0, "a missing file over TFTP fails");
  // The server counts a transfer once curl's last ACK arrived, which may be just after curl exits.
  await waitFor(async () => {
    const metrics = await scrapeMetrics(bofied);
    return metrics.value("ctpf_bofied_tftp_transfers_total", { result: "completed" }) === 1;
  }, { what: "the TFTP transfer counted", timeoutMs: 5000 });
  const metrics = await scrapeMetrics(bofied);
  const scriptBytes = "#!ipxe\nshell\n".length;
  assertEquals(
    [
      metrics.value("ctpf_bofied_tftp_transfers_started_total"),
      metrics.value("ctpf_bofied_tftp_transfers_total", { result: "failed" }),
      metrics.value("ctpf_bofied_tftp_transfers_active"),
      metrics.value("ctpf_bofied_tftp_bytes_sent_total"),
      metrics.value("ctpf_bofied_refusals_total", { protocol: "tftp", reason: "not_found" }),
      metrics.value("ctpf_bofied_http_requests_total", { port: "main", status: "200" }),
      metrics.value("ctpf_bofied_http_bytes_sent_total", { port: "main" }),
    ],
    [1, 0, 0, scriptBytes, 1, 1, scriptBytes],
  );

  const seen = new Set<string>();
  await waitFor(async () => {
    const next = await events.next();
    seen.add(next.value?.event?.kind ?? "");
    return seen.has("tftp") && seen.has("http");
  }, { what: "tftp and http events", timeoutMs: 10_000 });

  await api.moveFile({ area: FileArea.BOOT, from: "/ipxe/boot.ipxe", to: "/boot.ipxe" });
  await api.copyFile({ area: FileArea.BOOT, from: "/boot.ipxe", to: "/copy.ipxe" });
  assertEquals(
    new TextDecoder().decode((await api.readFile({ area: FileArea.BOOT, path: "/copy.ipxe" })).content),
    "#!ipxe\nshell\n",
  );
  assertEquals(await code(api.deleteFile({ area: FileArea.BOOT, path: "/ipxe/missing" })), Code.NotFound);
  await api.deleteFile({ area: FileArea.BOOT, path: "/ipxe", recursive: true });
  assertEquals((await api.listFiles({ area: FileArea.BOOT, path: "/" })).entries.map((e) => e.name), [
    "boot.ipxe",
    "copy.ipxe",
  ]);
});

Deno.test("bofied: refusals — no token, traversal, private files over HTTP", async () => {
  await using bofied = await startBinary({ entry: "cmd/bofied.ts", args: ["--no-boot-starter"] });
  const api = client(bofied.url, bofied.adminToken);
  assertEquals(
    await code(client(bofied.url).writeFile({ path: "/x", content: new Uint8Array() })),
    Code.Unauthenticated,
  );
  assertEquals(await code(client(bofied.url).listFiles({ path: "/" })), Code.Unauthenticated);
  // Checking or dry-running rules runs code: a viewer may not.
  const viewerToken = (await fetch(`${bofied.url}/ctpf.v1.AuthService/CreateToken`, {
    method: "POST",
    headers: { authorization: `Bearer ${bofied.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "viewer", role: "ROLE_VIEWER" }),
  }).then((r) => r.json())).secret;
  const viewer = client(bofied.url, viewerToken);
  assertEquals((await viewer.listFiles({ path: "/" })).entries.length, 0);
  assertEquals(
    await code(viewer.checkRules({ source: "export default () => ({ ignore: true })" })),
    Code.PermissionDenied,
  );
  assertEquals(
    await code(viewer.dryRunRules({ facts: { mac: "02:00:00:00:00:01" } })),
    Code.PermissionDenied,
  );
  for (const path of ["../escape", "/a/../../escape", "x\u0000y"]) {
    assertEquals(
      await code(api.writeFile({ path, content: encoder.encode("no") })),
      Code.PermissionDenied,
      path,
    );
  }
  await api.writeFile({ area: FileArea.PRIVATE, path: "/secret.txt", content: encoder.encode("private\n") });
  assertEquals(
    (await curl("-o", "/dev/null", "-w", "%{http_code}", `${bofied.url}/private/secret.txt`)).text,
    "401",
  );
  assertEquals(
    (await curl("-H", `Authorization: Bearer ${bofied.adminToken}`, `${bofied.url}/private/secret.txt`)).text,
    "private\n",
  );
  assertEquals(
    (await curl("-o", "/dev/null", "-w", "%{http_code}", `${bofied.url}/boot/secret.txt`)).text,
    "404",
  );
  assertEquals(
    (await curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", `${bofied.url}/boot/../admin.token`))
      .text,
    "403",
  );
  const metrics = await scrapeMetrics(bofied);
  const refused = (reason: string) =>
    metrics.value("ctpf_bofied_refusals_total", { protocol: "http", reason });
  assertEquals(
    [refused("unauthorized"), refused("not_found"), refused("path_traversal")],
    [1, 1, 1],
  );
  assertEquals(
    ["200", "401", "403", "404"].map((status) =>
      metrics.value("ctpf_bofied_http_requests_total", { port: "main", status })
    ),
    [1, 1, 1, 1],
  );
});

Deno.test("bofied: the default rules dry-run as firmware → iPXE → starter menu; bad rules are caught", async () => {
  await using bofied = await startBinary({ entry: "cmd/bofied.ts" });
  const api = client(bofied.url, bofied.adminToken);
  const port = new URL(bofied.url).port;
  assertEquals(
    (await api.dryRunRules({ facts: { mac: "02:00:00:00:00:01", arch: 0 } })).tftpFile,
    "undionly.kpxe",
  );
  assertEquals(
    (await api.dryRunRules({ facts: { mac: "02:00:00:00:00:01", arch: 7 } })).tftpFile,
    "ipxe.efi",
  );
  // iPXE gets the starter menu over TFTP by name: no HTTP address it might not reach.
  const ipxe = await api.dryRunRules({ facts: { mac: "02:00:00:00:00:01", arch: 0, userClass: "iPXE" } });
  assertEquals([ipxe.tftpFile, ipxe.httpUrl], ["menu.ipxe", ""]);
  assertEquals(
    (await api.dryRunRules({ facts: { mac: "02:00:00:00:00:01", arch: 16 } })).httpUrl,
    `http://127.0.0.1:${port}/boot/ipxe.efi`,
  );
  assertEquals((await api.dryRunRules({ facts: { mac: "02:00:00:00:00:01", arch: 2 } })).ignore, true);
  assertMatch(
    (await api.checkRules({ source: "export default () => ({ tftpFile: 5 })" })).error,
    /tftpFile must be a string/,
  );
  assertEquals((await api.checkRules({ source: "export default () => ({ ignore: true })" })).error, "");
  // Each dry run is one evaluation; checking a source tries it on samples, which is not one.
  const metrics = await scrapeMetrics(bofied);
  // Five dry runs above (arch 0, 7, iPXE, 16, 2).
  assertEquals(metrics.value("ctpf_bofied_rule_evaluations_total", { result: "decided" }), 5);
  assertEquals(metrics.value("ctpf_bofied_rule_evaluations_total"), 5);
});

Deno.test("bofied: --boot-http-listen serves /boot/ with sendfile; boot URLs point there; answers are events", async () => {
  // Port 0 here only to run beside other tests; the port in use is read back from the boot info.
  await using bofied = await startBinary({
    entry: "cmd/bofied.ts",
    args: ["--boot-http-listen", "127.0.0.1:0"],
  });
  const api = client(bofied.url, bofied.adminToken);
  const info = await api.getBootInfo({});
  const bootUrl = new URL(info.httpBootUrl);
  assert(
    bootUrl.port !== new URL(bofied.url).port,
    `boot URLs point at the sendfile port: ${info.httpBootUrl}`,
  );
  assertEquals(
    (await api.dryRunRules({ facts: { mac: "02:00:00:00:00:01", arch: 16 } })).httpUrl,
    `${info.httpBootUrl}/ipxe.efi`,
  );
  const events = api.subscribeToEvents({ history: 10 })[Symbol.asyncIterator]();
  const script = "#!ipxe\necho from sendfile\n";
  await api.writeFile({ area: FileArea.BOOT, path: "/boot.ipxe", content: encoder.encode(script) });
  assertEquals((await curl(`${info.httpBootUrl}/boot.ipxe`)).text, script);
  // The main port still serves the same file.
  assertEquals((await curl(`${bofied.url}/boot/boot.ipxe`)).text, script);
  const refused = await curl("--path-as-is", `${info.httpBootUrl}/../admin.token`);
  assert(refused.text.startsWith("refused"), refused.text);
  const metrics = await scrapeMetrics(bofied);
  const answered = (port: string, status: string) =>
    metrics.value("ctpf_bofied_http_requests_total", { port, status });
  assertEquals(
    [answered("sendfile", "200"), answered("sendfile", "403"), answered("main", "200")],
    [1, 1, 1],
  );
  assertEquals(
    ["sendfile", "main"].map((port) => metrics.value("ctpf_bofied_http_bytes_sent_total", { port })),
    [script.length, script.length],
  );
  assertEquals(
    metrics.value("ctpf_bofied_refusals_total", { protocol: "http", reason: "path_traversal" }),
    1,
  );
  await waitFor(async () => {
    const next = await events.next();
    const event = next.value?.event;
    return event?.kind === "http" && event.fields.path === "/boot.ipxe" && event.fields.status === "200";
  }, { what: "an http event for the sendfile port's answer", timeoutMs: 10_000 });
});
