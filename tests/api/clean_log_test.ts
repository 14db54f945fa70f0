// Every binary's stderr stays a machine-readable log through API traffic: unary calls and server streams
// over Connect and gRPC-Web (HTTP/1.1 and h2c), bodies with and without a length, and streams the client
// drops mid-way. Deno 2.9 prints an unstructured warning the first time a handler reads a served request's
// signal (core/http/completion_signal.ts); that warning, or any other stray line, fails these tests.
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { LogLevel, LogService } from "../../core/api/gen/ctpf/v1/log_pb.ts";
import { MetadataService } from "../../core/api/gen/ctpf/v1/metadata_pb.ts";
import { initNetwork, initNode } from "../../core/gloeth/identity/node_dir.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { type RunningBinary, startBinary } from "../support/ctpf_process.ts";
import { assertLogLines } from "../support/log_lines.ts";

function bearer(token: string): Interceptor[] {
  return [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))];
}

function transports(binary: RunningBinary): Transport[] {
  const options = { baseUrl: binary.url, interceptors: bearer(binary.adminToken) };
  return [createConnectTransport(options), createGrpcWebTransport(options)];
}

/** Opens a log tail, reads one record, then drops the connection as a closed browser tab would. */
async function tailAndDrop(transport: Transport): Promise<void> {
  const controller = new AbortController();
  const stream = createClient(LogService, transport).tailLogs(
    { history: 1, minLevel: LogLevel.DEBUG },
    { signal: controller.signal },
  )[Symbol.asyncIterator]();
  assert((await stream.next()).value?.record, "the tail replays its history");
  controller.abort();
  await stream.return?.().catch(() => {});
}

/** Unary and streaming calls every binary answers (metadata, log tail), each way a client may make them. */
async function exercise(binary: RunningBinary, name: string): Promise<void> {
  for (const transport of transports(binary)) {
    assertEquals((await createClient(MetadataService, transport).getMetadata({})).binary, name);
    await tailAndDrop(transport);
  }
  // No content-length: the body limit then makes its own copy of the request.
  const chunked = await fetch(`${binary.url}/ctpf.v1.MetadataService/GetMetadata`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${binary.adminToken}` },
    body: new Blob(["{}"]).stream(),
  });
  assertEquals(chunked.status, 200);
  await chunked.body?.cancel();
  const [buf, curl, ...args] = bufCurlCommand(binary, "MetadataService", "GetMetadata");
  const h2c = await new Deno.Command(buf, {
    args: [curl, "--protocol", "grpcweb", "--http2-prior-knowledge", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  assertEquals(h2c.code, 0, new TextDecoder().decode(h2c.stderr));
}

/** Waits for the log to settle (records of the last calls written), then checks every line of it. */
async function assertCleanLog(binary: RunningBinary, format: "json" | "logfmt"): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const output = binary.output();
  assert(!output.includes("Deno.serve"), `runtime warning in the log:\n${output}`);
  assertLogLines(output, format);
}

/** The extra flags a binary needs to start on loopback alone; gloeth: a relay node, no TAP, no links. */
async function setUp(name: string, dir: string): Promise<string[]> {
  if (name !== "gloeth") return [];
  await initNetwork(`${dir}/network`);
  await initNode(`${dir}/network`, `${dir}/node`, "a", 2);
  return ["--node-dir", `${dir}/node`, "--tap", "", "--link-listen", ""];
}

for (const name of ["ctpf", "necon", "bofied", "liwasc", "nodin", "gloeth"]) {
  for (const format of ["json", "logfmt"] as const) {
    Deno.test(`log (${name}, ${format}): API calls and dropped streams leave only ${format} records`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "ctpf-clean-log-" });
      try {
        const args = [...await setUp(name, dir), "--log-format", format, "--log-level", "debug"];
        await using binary = await startBinary({ entry: `cmd/${name}.ts`, args });
        await exercise(binary, name);
        await assertCleanLog(binary, format);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}

Deno.test("log: a dropped stream gives its subscription back (more drops than the hub's limit of 64)", async () => {
  await using ctpf = await startBinary({ args: ["--log-format", "json"] });
  const [connect, grpcWeb] = transports(ctpf);
  for (let i = 0; i < 40; i++) {
    await tailAndDrop(connect);
    await tailAndDrop(grpcWeb);
  }
  // The server learns of a drop a moment after the client: give the last few that moment.
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await tailAndDrop(connect);
      break;
    } catch (error) {
      if (ConnectError.from(error).code !== Code.ResourceExhausted || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await assertCleanLog(ctpf, "json");
});
