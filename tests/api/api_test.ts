// The API of a real ctpf process, through real clients: Connect-ES (Connect and gRPC-Web protocols) and
// the `buf curl` command line, over HTTP/1.1 and h2c.
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService, Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import { LogLevel, LogService } from "../../core/api/gen/ctpf/v1/log_pb.ts";
import { MetadataService } from "../../core/api/gen/ctpf/v1/metadata_pb.ts";
import { VERSION } from "../../core/version.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

function bearer(token?: string): Interceptor[] {
  return token
    ? [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))]
    : [];
}

const protocols: [string, (url: string, token?: string) => Transport][] = [
  ["connect", (url, token) => createConnectTransport({ baseUrl: url, interceptors: bearer(token) })],
  ["grpc-web", (url, token) => createGrpcWebTransport({ baseUrl: url, interceptors: bearer(token) })],
];

async function code(promise: Promise<unknown>): Promise<Code> {
  const error = await assertRejects(() => promise);
  return ConnectError.from(error).code;
}

for (const [protocol, transport] of protocols) {
  Deno.test(`api (${protocol}): metadata needs a credential, admin may mutate, viewer may not`, async () => {
    await using ctpf = await startBinary();
    const anonymous = transport(ctpf.url);
    const admin = transport(ctpf.url, ctpf.adminToken);
    assertEquals(await code(createClient(MetadataService, anonymous).getMetadata({})), Code.Unauthenticated);

    const metadata = await createClient(MetadataService, admin).getMetadata({});
    assertEquals(metadata.binary, "ctpf");
    assertEquals(metadata.version, VERSION);
    assertEquals(metadata.build?.deno, Deno.version.deno);
    assertEquals(metadata.services.map((s) => s.name).sort(), [
      "bofied",
      "builders",
      "deployers",
      "gloeth",
      "liwasc",
      "necon",
      "nodin",
    ]);

    const createToken = (t: Transport) =>
      createClient(AuthService, t).createToken({ name: "viewer", role: Role.VIEWER });
    assertEquals(await code(createToken(anonymous)), Code.Unauthenticated);
    const created = await createToken(admin);
    assertMatch(created.secret, /^ctpf_[0-9a-f]{16}_/);
    const viewer = transport(ctpf.url, created.secret);
    assertEquals((await createClient(MetadataService, viewer).getMetadata({})).binary, "ctpf");
    assertEquals(await code(createToken(viewer)), Code.PermissionDenied);
    assertEquals((await createClient(AuthService, viewer).whoAmI({})).principal, "token:viewer");

    await createClient(AuthService, admin).revokeToken({ id: created.token!.id });
    assertEquals(await code(createClient(MetadataService, viewer).getMetadata({})), Code.Unauthenticated);
    assertEquals(
      await code(createClient(AuthService, admin).createToken({ name: "", role: Role.ADMIN })),
      Code.InvalidArgument,
    );
  });
}

Deno.test("api: users log in with passwords; sessions are bearer tokens", async () => {
  await using ctpf = await startBinary();
  const admin = createClient(
    AuthService,
    createConnectTransport({ baseUrl: ctpf.url, interceptors: bearer(ctpf.adminToken) }),
  );
  assertEquals(
    await code(admin.putUser({ name: "alice", password: "short", role: Role.ADMIN })),
    Code.InvalidArgument,
  );
  await admin.putUser({ name: "alice", password: "correct horse", role: Role.VIEWER });
  assertEquals((await admin.listUsers({})).users.map((u) => u.name), ["alice"]);
  const anonymous = createClient(AuthService, createConnectTransport({ baseUrl: ctpf.url }));
  assertEquals(await code(anonymous.login({ user: "alice", password: "wrong" })), Code.Unauthenticated);
  const session = await anonymous.login({ user: "alice", password: "correct horse" });
  assertEquals(session.role, Role.VIEWER);
  const alice = createClient(
    AuthService,
    createConnectTransport({ baseUrl: ctpf.url, interceptors: bearer(session.token) }),
  );
  assertEquals((await alice.whoAmI({})).principal, "user:alice");
  await alice.logout({});
  assertEquals(await code(alice.whoAmI({})), Code.Unauthenticated);
});

Deno.test("api: the log stream replays history, then goes live; a dropped client does not hurt", async () => {
  await using ctpf = await startBinary();
  const transport = createConnectTransport({ baseUrl: ctpf.url, interceptors: bearer(ctpf.adminToken) });
  const controller = new AbortController();
  const stream = createClient(LogService, transport).tailLogs(
    { history: 50, minLevel: LogLevel.INFO },
    { signal: controller.signal },
  )[Symbol.asyncIterator]();
  const replayed: string[] = [];
  for (let i = 0; i < 10; i++) {
    const next = await stream.next();
    replayed.push(next.value.record.message);
    if (next.value.record.message === "listening") break;
  }
  assert(replayed.includes("listening"), `history replay: ${replayed}`);
  // A failed login is logged at warn: it must arrive live on the open stream.
  const anonymous = createClient(AuthService, createConnectTransport({ baseUrl: ctpf.url }));
  await code(anonymous.login({ user: "mallory", password: "guess-guess" }));
  const deadline = Date.now() + 10_000;
  let live;
  while (Date.now() < deadline) {
    const next = await stream.next();
    if (next.value?.record?.message === "login failed") {
      live = next.value.record;
      break;
    }
  }
  assertEquals(live?.fields.user, "mallory");
  assertEquals(live?.level, LogLevel.WARN);
  controller.abort();
  await stream.return?.();
  // node:http2 servers abort the process here (DESIGN.md); ours must keep answering.
  const metadata = createClient(MetadataService, transport);
  assertEquals((await metadata.getMetadata({})).binary, "ctpf");
});

Deno.test("api: --anonymous-read opens reads only", async () => {
  await using ctpf = await startBinary({ args: ["--anonymous-read"] });
  const anonymous = createConnectTransport({ baseUrl: ctpf.url });
  assertEquals((await createClient(MetadataService, anonymous).getMetadata({})).binary, "ctpf");
  assertEquals((await createClient(AuthService, anonymous).whoAmI({})).principal, "anonymous");
  assertEquals(
    await code(createClient(AuthService, anonymous).createToken({ name: "x", role: Role.ADMIN })),
    Code.Unauthenticated,
  );
  assertEquals((await fetch(`${ctpf.url}/metrics`)).status, 200);
  await (await fetch(`${ctpf.url}/metrics`)).body?.cancel();
});

Deno.test("api: /healthz is open, /metrics needs a credential, the web shell is served", async () => {
  await using ctpf = await startBinary();
  const health = await fetch(`${ctpf.url}/healthz`);
  assertEquals(await health.json(), { status: "ok" });
  const refused = await fetch(`${ctpf.url}/metrics`);
  assertEquals(refused.status, 401);
  assertMatch(refused.headers.get("www-authenticate") ?? "", /Basic realm="ctpf"/);
  await refused.body?.cancel();
  await createClient(
    MetadataService,
    createConnectTransport({ baseUrl: ctpf.url, interceptors: bearer(ctpf.adminToken) }),
  )
    .getMetadata({});
  const metrics = await fetch(`${ctpf.url}/metrics`, {
    headers: { authorization: `Bearer ${ctpf.adminToken}` },
  });
  const text = await metrics.text();
  assertMatch(
    text,
    /ctpf_rpc_requests_total\{procedure="\/ctpf\.v1\.MetadataService\/GetMetadata",code="ok"\} 1/,
  );
  assertMatch(text, /^ctpf_uptime_seconds \d/m);
  const page = await fetch(`${ctpf.url}/`);
  assertMatch(page.headers.get("content-security-policy") ?? "", /default-src 'self'/);
  assertMatch(await page.text(), /<script type="module" src="\/assets\/app.js">/);
  const script = await fetch(`${ctpf.url}/assets/app.js`);
  assertEquals(script.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert((await script.text()).length > 10_000);
});

async function bufCurl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(`${root}node_modules/.bin/buf`, {
    args: ["curl", "--schema", `${root}core/api/proto`, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("api: buf curl over Connect and gRPC-Web, HTTP/1.1 and h2c", async () => {
  await using ctpf = await startBinary();
  const method = `${ctpf.url}/ctpf.v1.MetadataService/GetMetadata`;
  for (
    const flags of [[], ["--protocol", "grpcweb"], ["--http2-prior-knowledge"], [
      "--protocol",
      "grpcweb",
      "--http2-prior-knowledge",
    ]]
  ) {
    const ok = await bufCurl([...flags, "-H", `Authorization: Bearer ${ctpf.adminToken}`, method]);
    assertEquals(ok.code, 0, `buf curl ${flags.join(" ")}: ${ok.stderr}`);
    assertEquals(JSON.parse(ok.stdout).binary, "ctpf");
  }
  const refused = await bufCurl([
    "-d",
    '{"name":"x","role":"ROLE_ADMIN"}',
    `${ctpf.url}/ctpf.v1.AuthService/CreateToken`,
  ]);
  assert(refused.code !== 0);
  assertEquals(JSON.parse(refused.stderr).code, "unauthenticated");
});

Deno.test("api: tokens and users survive a restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ctpf-restart-" });
  try {
    let secret: string, adminToken: string;
    {
      await using first = await startBinary({ dataDir });
      adminToken = first.adminToken;
      const admin = createClient(
        AuthService,
        createConnectTransport({ baseUrl: first.url, interceptors: bearer(adminToken) }),
      );
      secret = (await admin.createToken({ name: "kept", role: Role.VIEWER })).secret;
      assertMatch(first.output(), /created the admin token/);
    }
    await using second = await startBinary({ dataDir });
    assertEquals(second.adminToken, adminToken);
    assert(!second.output().includes("created the admin token"), "a restart must not make a new admin token");
    const viewer = createClient(
      AuthService,
      createConnectTransport({ baseUrl: second.url, interceptors: bearer(secret) }),
    );
    assertEquals((await viewer.whoAmI({})).principal, "token:kept");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

async function run(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${root}cmd/ctpf.ts`, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("cli: --help lists every flag; invalid values exit 2 with one line", async () => {
  const help = await run(["--help"]);
  assertEquals(help.code, 0);
  for (
    const flag of ["--listen", "--data-dir", "--log-level", "--log-format", "--anonymous-read", "--config"]
  ) {
    assertMatch(help.stdout, new RegExp(`${flag}\\b`));
  }
  assertMatch(help.stdout, /\[default: 127\.0\.0\.1:8470\]/);
  const bad = await run(["--listen", "nowhere"]);
  assertEquals(bad.code, 2);
  assertEquals(bad.stderr.trim().split("\n").length, 1);
  assertMatch(bad.stderr, /--listen: "nowhere" is not host:port/);
  const badEnv = await run([], { CTPF_CTPF_LOG_LEVEL: "loud" });
  assertEquals(badEnv.code, 2);
  assertMatch(badEnv.stderr, /CTPF_CTPF_LOG_LEVEL: --log-level: "loud" is not one of/);
});

Deno.test("cli: env and config file configure the same flags; JSON logs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-config-" });
  try {
    await Deno.writeTextFile(`${dir}/ctpf.json`, JSON.stringify({ "log-format": "json" }));
    await using ctpf = await startBinary({ env: { CTPF_CTPF_CONFIG: `${dir}/ctpf.json` } });
    const line = ctpf.output().split("\n").find((l) => l.includes('"msg":"listening"'));
    assert(line, `no JSON listening line in:\n${ctpf.output()}`);
    assertEquals(JSON.parse(line).level, "info");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("api: an oversized unauthenticated body is refused before it is buffered", async () => {
  await using ctpf = await startBinary();
  const body = new Uint8Array(8 << 20);
  const response = await fetch(`${ctpf.url}/ctpf.v1.AuthService/CreateToken`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  assertEquals(response.status, 413);
  await response.body?.cancel();
  // Without a content-length the router's own read limit applies.
  const streamed = await fetch(`${ctpf.url}/ctpf.v1.AuthService/Login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new Blob([body]).stream(),
  });
  assert(streamed.status >= 400, `streamed oversized body got ${streamed.status}`);
  await streamed.body?.cancel();
  assertEquals((await fetch(`${ctpf.url}/healthz`).then((r) => r.json())).status, "ok");
});

Deno.test("api: token lifetimes are bounded; an invalid request stores nothing", async () => {
  await using ctpf = await startBinary();
  const admin = createClient(
    AuthService,
    createConnectTransport({ baseUrl: ctpf.url, interceptors: bearer(ctpf.adminToken) }),
  );
  assertEquals(
    await code(admin.createToken({ name: "forever", role: Role.VIEWER, ttlSeconds: 2n ** 64n - 1n })),
    Code.InvalidArgument,
  );
  assertEquals((await admin.listTokens({})).tokens.map((t) => t.name), ["admin"]);
});

Deno.test("cli: a port in use exits 2 with one line and mints no token; an existing data dir keeps its mode", async () => {
  await using first = await startBinary();
  const port = new URL(first.url).port;
  const dir = await Deno.makeTempDir({ prefix: "ctpf-busy-" });
  try {
    await Deno.chmod(dir, 0o750);
    const busy = await run(["--listen", `127.0.0.1:${port}`, "--data-dir", dir]);
    assertEquals(busy.code, 2);
    assertMatch(busy.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
    assertEquals(busy.stderr.trim().split("\n").length, 1, busy.stderr);
    let token = true;
    await Deno.stat(`${dir}/admin.token`).catch(() => token = false);
    assertEquals(token, false);
    assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o750);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
