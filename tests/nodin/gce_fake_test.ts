/**
 * The Compute Engine fake checked by Google's own client: the preinstalled gcloud, pointed at the fake
 * with CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE (credentials disabled, a throwaway config dir), lists,
 * creates, stops, starts and deletes instances, waiting on the fake's zone operations as it does on GCE.
 */
import { GceFakeServer } from "./fakes/gce_fake_server.ts";
import { makeServiceAccount } from "./support/service_account.ts";
import { assert, assertEquals, assertMatch, assertStrictEquals } from "../support/assert.ts";

const project = "fake-project";
const zone = "europe-west1-b";

/** Runs `gcloud compute ARGS` (or, with `raw`, `gcloud ARGS`) in `config` or a throwaway config dir. */
async function gcloud(
  fake: GceFakeServer,
  args: string[],
  options: { config?: string; raw?: boolean; credentials?: boolean } = {},
) {
  const config = options.config ?? await Deno.makeTempDir({ prefix: "nodin-gcloud-" });
  try {
    const output = await new Deno.Command("/usr/bin/gcloud", {
      args: options.raw ? args : ["compute", ...args, "--project", project, "--format", "json"],
      env: {
        PATH: "/usr/bin:/bin",
        HOME: config,
        CLOUDSDK_CONFIG: config,
        CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: fake.apiBase,
        CLOUDSDK_AUTH_DISABLE_CREDENTIALS: options.credentials ? "false" : "true",
        CLOUDSDK_AUTH_TOKEN_HOST: fake.tokenUrl,
        CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
        CLOUDSDK_CORE_CHECK_GCE_METADATA: "false",
        CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: "true",
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: "true",
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    return {
      code: output.code,
      json: output.success && stdout.trim() ? JSON.parse(stdout) : undefined,
      stderr,
    };
  } finally {
    if (!options.config) await Deno.remove(config, { recursive: true });
  }
}

Deno.test("GCE fake: gcloud creates, lists, stops, starts and deletes an instance through zone operations", async () => {
  const fake = new GceFakeServer({ project, zones: [zone], operationMs: 500 });
  try {
    const created = await gcloud(fake, [
      "instances",
      "create",
      "web-1",
      "--zone",
      zone,
      "--machine-type",
      "e2-small",
      "--image",
      `projects/${project}/global/images/debian-12`,
      "--labels",
      "role=web",
    ]);
    assertStrictEquals(created.code, 0, created.stderr);
    assertStrictEquals(created.json[0].name, "web-1");
    assertStrictEquals(created.json[0].status, "RUNNING");
    assertMatch(created.json[0].machineType, /zones\/europe-west1-b\/machineTypes\/e2-small$/);
    assert(
      fake.log.some((line) => /operations\/operation-[^/]+(\/wait)?$/.test(line)),
      `gcloud waited on the operation: ${fake.log.join(", ")}`,
    );

    const listed = await gcloud(fake, ["instances", "list", "--zones", zone]);
    assertStrictEquals(listed.code, 0, listed.stderr);
    assertEquals(listed.json.map((instance: { name: string }) => instance.name), ["web-1"]);
    assertEquals(listed.json[0].labels, { role: "web" });
    assertStrictEquals(listed.json[0].networkInterfaces[0].accessConfigs[0].type, "ONE_TO_ONE_NAT");

    const stopped = await gcloud(fake, ["instances", "stop", "web-1", "--zone", zone]);
    assertStrictEquals(stopped.code, 0, stopped.stderr);
    const described = await gcloud(fake, ["instances", "describe", "web-1", "--zone", zone]);
    assertStrictEquals(described.code, 0, described.stderr);
    assertStrictEquals(described.json.status, "TERMINATED");

    const started = await gcloud(fake, ["instances", "start", "web-1", "--zone", zone]);
    assertStrictEquals(started.code, 0, started.stderr);
    const reset = await gcloud(fake, ["instances", "reset", "web-1", "--zone", zone]);
    assertStrictEquals(reset.code, 0, reset.stderr);

    const deleted = await gcloud(fake, ["instances", "delete", "web-1", "--zone", zone, "--quiet"]);
    assertStrictEquals(deleted.code, 0, deleted.stderr);
    const empty = await gcloud(fake, ["instances", "list", "--zones", zone]);
    assertEquals(empty.json, []);
  } finally {
    await fake.close();
  }
});

Deno.test("GCE fake: gcloud lists every page and reports a missing instance as not found", async () => {
  const fake = new GceFakeServer({ project, zones: [zone] });
  try {
    for (let i = 0; i < 7; i++) fake.seed(zone, `node-${i}`);
    const listed = await gcloud(fake, ["instances", "list", "--zones", zone, "--page-size", "3"]);
    assertStrictEquals(listed.code, 0, listed.stderr);
    assertStrictEquals(listed.json.length, 7);
    assertStrictEquals(fake.log.filter((line) => line.endsWith("/instances")).length, 3);
    const missing = await gcloud(fake, ["instances", "stop", "nothing", "--zone", zone]);
    assert(missing.code !== 0);
    assertMatch(missing.stderr, /instances\/nothing' was not found/);
  } finally {
    await fake.close();
  }
});

Deno.test("GCE fake: gcloud gets a token from the fake's token endpoint with a service-account JWT and lists with it", async () => {
  const account = await makeServiceAccount();
  const fake = new GceFakeServer({
    project,
    zones: [zone],
    requireToken: true,
    accounts: { [account.email]: account.publicKey },
  });
  const config = await Deno.makeTempDir({ prefix: "nodin-gcloud-" });
  try {
    fake.seed(zone, "node-0");
    const anonymous = await gcloud(fake, ["instances", "list", "--zones", zone]);
    // gcloud's list reports a refused zone as a warning and lists nothing.
    assertMatch(anonymous.stderr, /invalid authentication credentials/);
    assertEquals(anonymous.json ?? [], []);

    const keyFile = `${config}/key.json`;
    await Deno.writeTextFile(keyFile, account.keyFile(fake.tokenUrl, project));
    const activated = await gcloud(fake, ["auth", "activate-service-account", "--key-file", keyFile], {
      config,
      raw: true,
      credentials: true,
    });
    assertStrictEquals(activated.code, 0, activated.stderr);
    const listed = await gcloud(fake, ["instances", "list", "--zones", zone], { config, credentials: true });
    assertStrictEquals(listed.code, 0, listed.stderr);
    assertEquals(listed.json.map((instance: { name: string }) => instance.name), ["node-0"]);
    assert(fake.issuedTokens.size >= 1, "gcloud's JWT was accepted and a token issued");
  } finally {
    await Deno.remove(config, { recursive: true });
    await fake.close();
  }
});
