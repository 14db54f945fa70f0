// nodin's webhook driver against an HTTP endpoint on loopback that behaves like a smart plug (it keeps
// power state, wants its bearer token); every signature the driver sent is checked with openssl, an
// implementation of HMAC that is not ours.
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { requireTools, run } from "../harness/mod.ts";
import { PowerDriverError } from "../../core/nodin/power/driver.ts";
import { webhookFactory } from "../../core/nodin/power/webhook/driver.ts";

const TOKEN = "plug-token-1";
const HMAC_KEY = "shared-hmac-key";

interface Received {
  path: string;
  headers: Headers;
  body: string;
}

/** A smart plug's HTTP API: POST {action}; "status" answers {"state": …}. */
function startPlug(options: { statusReply?: (power: string) => string } = {}) {
  let power = "off";
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const body = await request.text();
    received.push({ path: new URL(request.url).pathname, headers: request.headers, body });
    if (request.headers.get("Authorization") !== `Bearer ${TOKEN}`) {
      return new Response("no", { status: 401 });
    }
    if (request.method !== "POST" || request.headers.get("Content-Type") !== "application/json") {
      return new Response("POST JSON only", { status: 400 });
    }
    const { action } = JSON.parse(body);
    switch (action) {
      case "status":
        return new Response(options.statusReply?.(power) ?? JSON.stringify({ state: power }));
      case "on":
      case "off":
        power = action;
        return new Response(null, { status: 204 });
      case "cycle":
        power = "on";
        return new Response(null, { status: 204 });
      default:
        return new Response(`unknown action ${action}`, { status: 422 });
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    received,
    get power() {
      return power;
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

async function opensslHmac(key: string, data: string): Promise<string> {
  const result = await run(["openssl", "dgst", "-sha256", "-hmac", key, "-r"], { stdin: data });
  return result.stdout.split(" ")[0];
}

Deno.test("webhook driver: status, on, off and cycle as signed JSON POSTs to a plug; openssl verifies every signature", async () => {
  await requireTools("openssl");
  await using plug = startPlug();
  const driver = webhookFactory.create({
    driver: "webhook",
    address: `${plug.url}/power`,
    options: { actions: "on,off,cycle", node: "rack1-n3" },
  }, { extra: { token: TOKEN, hmacKey: HMAC_KEY } });
  assertEquals(driver.capabilities(), { status: true, actions: ["on", "off", "cycle"], bootDevices: [] });

  const off = await driver.status();
  assertStrictEquals(off.state, "off");
  assertStrictEquals(off.evidence, `webhook POST ${plug.url}/power status: off`);
  await driver.act("on");
  assertStrictEquals(plug.power, "on");
  assertStrictEquals((await driver.status()).state, "on");
  await driver.act("off");
  assertStrictEquals((await driver.status()).state, "off");
  await driver.act("cycle");
  assertStrictEquals(plug.power, "on");

  // Not configured: refused before anything is sent.
  const before = plug.received.length;
  const error = await assertRejects(() => driver.act("soft-off"), PowerDriverError);
  assertStrictEquals((error as PowerDriverError).kind, "unsupported");
  assertStrictEquals(plug.received.length, before);

  assertEquals(plug.received.map((request) => JSON.parse(request.body).action), [
    "status",
    "on",
    "status",
    "off",
    "status",
    "cycle",
  ]);
  for (const request of plug.received) {
    const body = JSON.parse(request.body);
    assertStrictEquals(body.node, "rack1-n3");
    assertMatch(body.requestId, /^[0-9a-f-]{36}$/);
    const timestamp = request.headers.get("X-Nodin-Timestamp")!;
    assert(Math.abs(Number(timestamp) - Date.now() / 1000) < 60, "a current timestamp");
    const expected = await opensslHmac(HMAC_KEY, `${timestamp}.${request.body}`);
    assertStrictEquals(request.headers.get("X-Nodin-Signature"), `sha256=${expected}`);
  }
});

Deno.test("webhook driver: a URL per action, no token or signature when the credential has none", async () => {
  await using plug = startPlug();
  const driver = webhookFactory.create({ driver: "webhook", address: `${plug.url}/plug/{action}` }, {
    password: TOKEN,
  });
  await driver.act("on");
  assertStrictEquals((await driver.status()).state, "on");
  assertEquals(plug.received.map((request) => request.path), ["/plug/on", "/plug/status"]);
  // The password serves as the bearer token; no HMAC key, no signature headers.
  assertStrictEquals(plug.received[0].headers.get("Authorization"), `Bearer ${TOKEN}`);
  assertStrictEquals(plug.received[0].headers.get("X-Nodin-Signature"), null);
});

Deno.test("webhook driver: a wrong token is an auth error, and status is 'unknown' with evidence", async () => {
  await using plug = startPlug();
  const driver = webhookFactory.create({ driver: "webhook", address: plug.url }, {
    extra: { token: "wrong" },
  });
  const error = await assertRejects(() => driver.act("on"), PowerDriverError);
  assertStrictEquals((error as PowerDriverError).kind, "auth");
  const observed = await driver.status();
  assertStrictEquals(observed.state, "unknown");
  assertMatch(observed.evidence, /^auth: webhook POST .* status: HTTP 401/);
  assertStrictEquals(plug.power, "off");
});

Deno.test("webhook driver: an answer without a known state, a refusal, an unreachable and a silent endpoint", async () => {
  {
    await using plug = startPlug({ statusReply: () => JSON.stringify({ state: "sideways" }) });
    const driver = webhookFactory.create({
      driver: "webhook",
      address: plug.url,
      options: { actions: "reset" },
    }, {
      extra: { token: TOKEN },
    });
    const odd = await driver.status();
    assertStrictEquals(odd.state, "unknown");
    assertMatch(odd.evidence, /^protocol: .*without a known state: \{"state":"sideways"\}/);
    // The plug knows no "reset": its 422 and its words come back as a refusal.
    const refused = await assertRejects(() => driver.act("reset"), PowerDriverError);
    assertStrictEquals((refused as PowerDriverError).kind, "refused");
    assertMatch(refused.message, /HTTP 422 \(unknown action reset\)/);
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = listener.addr.port;
  listener.close();
  const unreachable = await webhookFactory.create({
    driver: "webhook",
    address: `http://127.0.0.1:${closedPort}/`,
  }, undefined).status();
  assertStrictEquals(unreachable.state, "unknown");
  assertMatch(unreachable.evidence, /^unreachable: webhook POST http:\/\/127\.0\.0\.1:\d+\//);

  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  try {
    const started = performance.now();
    const quiet = await webhookFactory.create({
      driver: "webhook",
      address: `http://127.0.0.1:${silent.addr.port}/`,
      options: { timeoutMs: "300" },
    }, undefined).status();
    assertStrictEquals(quiet.state, "unknown");
    assertMatch(quiet.evidence, /no answer within 300 ms/);
    assert(performance.now() - started < 3_000, "bounded");
  } finally {
    silent.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test("webhook driver: refuses an unknown action name and a non-HTTP address at creation", () => {
  for (
    const bmc of [
      { driver: "webhook", address: "http://127.0.0.1/", options: { actions: "on,explode" } },
      { driver: "webhook", address: "ftp://127.0.0.1/" },
    ]
  ) {
    let kind: string | undefined;
    try {
      webhookFactory.create(bmc, undefined);
    } catch (error) {
      kind = (error as PowerDriverError).kind;
    }
    assertStrictEquals(kind, "unsupported");
  }
});
