// The FAKE Redfish service is checked by the real clients people point at BMCs — DMTF's redfishtool and
// OpenStack's sushy — so the driver tests rest on a service those clients accept, not on our assumptions.
import { assertEquals, assertMatch, assertStrictEquals } from "../support/assert.ts";
import { requireTools, run } from "../harness/mod.ts";
import { RedfishMockupServer } from "./redfish_mockup_server.ts";

const SYSTEM = "/redfish/v1/Systems/437XR1138R2";
const USER = "admin";
const PASSWORD = "mockup-secret";

function redfishtool(
  server: RedfishMockupServer,
  ...args: string[]
): Promise<{ stdout: string; code: number }> {
  return run(["redfishtool", "-r", `127.0.0.1:${server.port}`, "-S", "Never", ...args], {
    check: false,
    timeoutMs: 20_000,
  }).then((result) => ({ stdout: result.stdout + result.stderr, code: result.code }));
}

Deno.test("redfish mockup: redfishtool lists the system, resets it (session) and sets the boot override (Basic, If-Match)", async () => {
  await requireTools("redfishtool");
  await using server = RedfishMockupServer.start({
    username: USER,
    password: PASSWORD,
    requireIfMatch: true,
  });
  const auth = ["-u", USER, "-p", PASSWORD];

  const systems = await redfishtool(server, ...auth, "Systems");
  assertStrictEquals(systems.code, 0, systems.stdout);
  assertStrictEquals(JSON.parse(systems.stdout).Members[0]["@odata.id"], SYSTEM);

  const off = await redfishtool(
    server,
    ...auth,
    "-A",
    "Session",
    "Systems",
    "-I",
    "437XR1138R2",
    "reset",
    "ForceOff",
  );
  assertStrictEquals(off.code, 0, off.stdout);
  assertStrictEquals(server.resource(SYSTEM).PowerState, "Off");
  // redfishtool logged in through the SessionService, reset with its token, and logged out again.
  const reset = server.requests.find((request) => request.path.endsWith("ComputerSystem.Reset"));
  assertStrictEquals(reset?.auth, "session");
  assertEquals(reset?.body, { ResetType: "ForceOff" });
  assertStrictEquals(server.sessionCount, 0);

  const boot = await redfishtool(
    server,
    ...auth,
    "-A",
    "Basic",
    "Systems",
    "-I",
    "437XR1138R2",
    "setBootOverride",
    "Continuous",
    "Hdd",
  );
  assertStrictEquals(boot.code, 0, boot.stdout);
  const patch = server.requests.find((request) => request.method === "PATCH");
  assertStrictEquals(patch?.auth, "basic");
  assertMatch(patch?.ifMatch ?? "", /^W\/"\d+"$/);

  const got = await redfishtool(server, ...auth, "Systems", "-I", "437XR1138R2", "get");
  const system = JSON.parse(got.stdout);
  assertStrictEquals(system.PowerState, "Off");
  assertStrictEquals(system.Boot.BootSourceOverrideTarget, "Hdd");
  assertStrictEquals(system.Boot.BootSourceOverrideEnabled, "Continuous");
  // As DMTF's own mockup server does, the copyright notice is not served.
  assertStrictEquals(system["@Redfish.Copyright"], undefined);

  const refused = await redfishtool(server, "-u", USER, "-p", "wrong", "Systems");
  assertMatch(refused.stdout, /401/);
  // redfishtool reads the allowed values the service lists and refuses PowerCycle itself; the service
  // refuses it too when asked directly (curl).
  const badReset = await redfishtool(server, ...auth, "Systems", "-I", "437XR1138R2", "reset", "PowerCycle");
  assertMatch(badReset.stdout, /not supported by the remote service/);
  const direct = await run([
    "curl",
    "-sS",
    "-u",
    `${USER}:${PASSWORD}`,
    "-H",
    "Content-Type: application/json",
    "-d",
    '{"ResetType":"PowerCycle"}',
    "-w",
    "\\n%{http_code}",
    `${server.url}${SYSTEM}/Actions/ComputerSystem.Reset`,
  ]);
  const cut = direct.stdout.lastIndexOf("\n");
  const [body, status] = [direct.stdout.slice(0, cut), direct.stdout.slice(cut + 1)];
  assertStrictEquals(status, "400");
  assertStrictEquals(JSON.parse(body).error.code, "Base.1.0.ActionParameterValueNotInList");
  assertStrictEquals(server.resource(SYSTEM).PowerState, "Off");
});

Deno.test("redfish mockup: sushy (Ironic's client) powers the system off and on, sets boot, is refused a wrong password", async () => {
  await requireTools("python3");
  await using server = RedfishMockupServer.start({ username: USER, password: PASSWORD });
  const script = new URL("./sushy_check.py", import.meta.url).pathname;
  const result = await run(["/usr/bin/python3", script, server.url, USER, PASSWORD, SYSTEM], {
    timeoutMs: 30_000,
  });
  const seen = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
  assertEquals(seen, {
    power_before: "On",
    allowed_resets: [
      "ForceOff",
      "ForceOn",
      "ForceRestart",
      "GracefulRestart",
      "GracefulShutdown",
      "Nmi",
      "On",
      "PushPowerButton",
    ],
    power_after_force_off: "Off",
    power_after_on: "On",
    boot: ["Hdd", "Continuous", "Legacy"],
    power_cycle: "refused by sushy: not in the allowed values",
    wrong_password: "AccessError 401",
  });
  assertEquals(
    server.requests.filter((request) => request.method === "POST" && request.path.endsWith("Reset")).map((
      request,
    ) => request.body),
    [{ ResetType: "ForceOff" }, { ResetType: "On" }],
  );
});
