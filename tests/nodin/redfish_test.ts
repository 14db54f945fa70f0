// nodin's Redfish driver against the FAKE Redfish service built from DMTF's rack-mount mockup (which
// redfishtool and sushy accept: redfish_mockup_server_test.ts); redfishtool then reads back what the
// driver did, so the result is judged by a client that is not ours.
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { run } from "../harness/mod.ts";
import { PowerDriverError } from "../../core/nodin/power/driver.ts";
import { RedfishDriver, redfishFactory } from "../../core/nodin/power/redfish/driver.ts";
import { RedfishMockupServer } from "./redfish_mockup_server.ts";

const SYSTEM = "/redfish/v1/Systems/437XR1138R2";
const USER = "admin";
const PASSWORD = "mockup-secret";

async function redfishtoolSystem(server: RedfishMockupServer): Promise<Record<string, unknown>> {
  const result = await run([
    "redfishtool",
    "-r",
    `127.0.0.1:${server.port}`,
    "-S",
    "Never",
    "-u",
    USER,
    "-p",
    PASSWORD,
    "Systems",
    "-I",
    "437XR1138R2",
    "get",
  ], { timeoutMs: 20_000 });
  return JSON.parse(result.stdout);
}

Deno.test("redfish driver: status, on/off/soft-off/reset through ComputerSystem.Reset, in a session; redfishtool sees each", async () => {
  await using server = RedfishMockupServer.start({ username: USER, password: PASSWORD });
  const driver = redfishFactory.create({ driver: "redfish", address: server.url }, {
    username: USER,
    password: PASSWORD,
  });
  try {
    // Before the system is read, the driver offers Redfish's maximum; after, only what this system allows.
    assertEquals(driver.capabilities().actions, ["on", "off", "soft-off", "cycle", "reset"]);
    const first = await driver.status();
    assertStrictEquals(first.state, "on");
    assertStrictEquals(first.evidence, `Redfish GET ${SYSTEM}: PowerState On`);
    assertEquals(driver.capabilities().actions, ["on", "off", "soft-off", "reset"]);

    await driver.act("off");
    assertStrictEquals((await driver.status()).state, "off");
    assertStrictEquals((await redfishtoolSystem(server)).PowerState, "Off");
    await driver.act("on");
    assertStrictEquals((await redfishtoolSystem(server)).PowerState, "On");
    await driver.act("soft-off");
    assertStrictEquals((await driver.status()).state, "off");
    await driver.act("reset");
    assertStrictEquals((await driver.status()).state, "on");

    const resets = server.requests.filter((request) => request.path.endsWith("ComputerSystem.Reset"));
    assertEquals(resets.map((request) => request.body), [
      { ResetType: "ForceOff" },
      { ResetType: "On" },
      { ResetType: "GracefulShutdown" },
      { ResetType: "ForceRestart" },
    ]);
    assert(resets.every((request) => request.auth === "session"), "every reset carried the session token");

    // This system lists no PowerCycle: refused before anything is sent.
    const error = await assertRejects(() => driver.act("cycle"), PowerDriverError);
    assertStrictEquals((error as PowerDriverError).kind, "unsupported");
    assertMatch(error.message, /no reset type for "cycle"/);
    assertStrictEquals(server.requests.filter((request) => request.path.endsWith("Reset")).length, 4);
  } finally {
    await driver.close?.();
  }
  // close() deleted the session on the BMC.
  assertStrictEquals(server.sessionCount, 0);
});

Deno.test("redfish driver: boot override by PATCH with If-Match, retried once on a stale ETag; redfishtool reads it back", async () => {
  await using server = RedfishMockupServer.start({
    username: USER,
    password: PASSWORD,
    requireIfMatch: true,
  });
  const driver = new RedfishDriver(
    { driver: "redfish", address: server.url, options: { system: "437XR1138R2", auth: "basic" } },
    { username: USER, password: PASSWORD },
  );
  await driver.setBootDevice("disk", { persistent: true, uefi: false });
  let seen = await redfishtoolSystem(server);
  assertEquals(seen.Boot, {
    ...(seen.Boot as object),
    BootSourceOverrideTarget: "Hdd",
    BootSourceOverrideEnabled: "Continuous",
    BootSourceOverrideMode: "Legacy",
  });

  // Another client changes the system between the driver's read and its write: 412, read again, write.
  server.staleAfterNextGet(SYSTEM);
  await driver.setBootDevice("pxe", { persistent: false, uefi: true });
  seen = await redfishtoolSystem(server);
  assertStrictEquals((seen.Boot as Record<string, string>).BootSourceOverrideTarget, "Pxe");
  assertStrictEquals((seen.Boot as Record<string, string>).BootSourceOverrideEnabled, "Once");
  assertStrictEquals((seen.Boot as Record<string, string>).BootSourceOverrideMode, "UEFI");
  const patches = server.requests.filter((request) => request.method === "PATCH");
  assertStrictEquals(patches.length, 3);
  assert(patches.every((request) => /^W\/"\d+"$/.test(request.ifMatch ?? "")), "every PATCH had If-Match");
  assert(patches.every((request) => request.auth === "basic"), "Basic auth as configured");
  assertStrictEquals(server.sessionCount, 0);
  await driver.close();
});

Deno.test("redfish driver: a wrong password is an auth error for actions and 'unknown' with evidence for status", async () => {
  await using server = RedfishMockupServer.start({ username: USER, password: PASSWORD });
  for (const auth of ["session", "basic"]) {
    const driver = redfishFactory.create({ driver: "redfish", address: server.url, options: { auth } }, {
      username: USER,
      password: "wrong",
    });
    const error = await assertRejects(() => driver.act("off"), PowerDriverError);
    assertStrictEquals((error as PowerDriverError).kind, "auth", error.message);
    const observed = await driver.status();
    assertStrictEquals(observed.state, "unknown");
    assertMatch(observed.evidence, /^auth: Redfish .*(login refused|HTTP 401)/);
    await driver.close?.();
  }
  assertStrictEquals(server.resource(SYSTEM).PowerState, "On");
});

Deno.test("redfish driver: an unreachable or silent BMC is 'unknown' with evidence, within the timeout", async () => {
  // A port that was just free: connection refused.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = listener.addr.port;
  listener.close();
  const refused = redfishFactory.create({ driver: "redfish", address: `http://127.0.0.1:${closedPort}` }, {
    username: USER,
    password: PASSWORD,
  });
  const observed = await refused.status();
  assertStrictEquals(observed.state, "unknown");
  assertMatch(observed.evidence, /^unreachable: Redfish GET http:\/\/127\.0\.0\.1:\d+\/redfish\/v1\//);
  const error = await assertRejects(() => refused.act("on"), PowerDriverError);
  assertStrictEquals((error as PowerDriverError).kind, "unreachable");

  // A BMC that accepts the connection and never answers.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  try {
    const driver = redfishFactory.create({
      driver: "redfish",
      address: `http://127.0.0.1:${silent.addr.port}`,
      options: { timeoutMs: "400", auth: "basic" },
    }, { username: USER, password: PASSWORD });
    const started = performance.now();
    const quiet = await driver.status();
    const took = performance.now() - started;
    assertStrictEquals(quiet.state, "unknown");
    assertMatch(quiet.evidence, /no answer within 400 ms/);
    assert(took < 3_000, `status took ${took} ms`);
  } finally {
    silent.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test("redfish driver: a session the BMC dropped is replaced by a new login", async () => {
  await using server = RedfishMockupServer.start({ username: USER, password: PASSWORD });
  const driver = redfishFactory.create({ driver: "redfish", address: server.url }, {
    username: USER,
    password: PASSWORD,
  });
  assertStrictEquals((await driver.status()).state, "on");
  // The BMC forgets every session (timeout, reboot of the BMC).
  const sessions = server.resource("/redfish/v1/SessionService/Sessions").Members as {
    "@odata.id": string;
  }[];
  for (const member of [...sessions]) {
    if (member["@odata.id"].includes("mockup")) {
      await run([
        "curl",
        "-sS",
        "-X",
        "DELETE",
        "-u",
        `${USER}:${PASSWORD}`,
        `${server.url}${member["@odata.id"]}`,
      ]);
    }
  }
  assertStrictEquals(server.sessionCount, 0);
  await driver.act("off");
  assertStrictEquals(server.resource(SYSTEM).PowerState, "Off");
  const logins = server.requests.filter((request) =>
    request.method === "POST" && request.path === "/redfish/v1/SessionService/Sessions"
  );
  assertStrictEquals(logins.length, 2);
  await driver.close?.();
});
