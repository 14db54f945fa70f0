/**
 * Our Compute Engine provider against the GCE fake (which gcloud checks in gce_fake_test.ts): a token
 * from the service-account JWT, every change waited for through its zone operation, paging, and GCE's
 * errors as CloudProviderError kinds.
 */
import { CloudProviderError } from "../../core/nodin/clouds/errors.ts";
import { GceProvider, type GceProviderOptions } from "../../core/nodin/clouds/gce/gce_provider.ts";
import { GceFakeServer } from "./fakes/gce_fake_server.ts";
import { makeServiceAccount, type TestServiceAccount } from "./support/service_account.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";

const project = "fake-project";
const zones = ["europe-west1-b", "europe-west1-c"];
const account = await makeServiceAccount();

function providerFor(
  fake: GceFakeServer,
  options: Partial<GceProviderOptions> = {},
  key: TestServiceAccount = account,
) {
  return new GceProvider({
    zones,
    credential: { extra: { serviceAccountKey: key.keyFile(fake.tokenUrl, project) } },
    apiBase: fake.apiBase,
    retry: { attempts: 3, maxWaitMs: 5_000, backoffMs: 50 },
    pollIntervalMs: 50,
    ...options,
  });
}

async function withFake(fn: (fake: GceFakeServer) => Promise<void>, operationMs = 400) {
  const fake = new GceFakeServer({
    project,
    zones,
    requireToken: true,
    accounts: { [account.email]: account.publicKey },
    operationMs,
  });
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

Deno.test("GCE provider: create waits for the insert operation, then the instance is running", () =>
  withFake(async (fake) => {
    const gce = providerFor(fake);
    const started = Date.now();
    const machine = await gce.create({
      name: "web-1",
      size: "e2-small",
      image: "projects/debian-cloud/global/images/family/debian-12",
      location: "europe-west1-c",
      labels: { role: "web" },
      userData: "#cloud-config\n",
    });
    assert(Date.now() - started >= 400, "create returned only after the operation was DONE");
    assertStrictEquals(machine.providerRef, "europe-west1-c/web-1");
    assertStrictEquals(machine.providerState, "RUNNING");
    assertStrictEquals(machine.power.state, "on");
    assertMatch(machine.power.evidence, /status RUNNING/);
    assertEquals(machine.labels, { role: "web" });
    assertStrictEquals(machine.architecture, "x86_64");
    assertEquals(machine.placement.size, "e2-small");
    assertEquals(machine.placement.region, "europe-west1");
    assert(machine.addresses.some((address) => address.startsWith("10.132.0.")));
    assert(machine.addresses.some((address) => address.startsWith("203.0.113.")));
    const stored = fake.instances.get("europe-west1-c/web-1")!.resource;
    assertEquals(stored.metadata, {
      kind: "compute#metadata",
      fingerprint: "cOa0Ym1pS6c=",
      items: [{ key: "user-data", value: "#cloud-config\n" }],
    });
    const polls = fake.log.filter((line) => line.includes("/operations/"));
    assert(polls.length >= 2, `the operation was polled until DONE: ${polls.length} polls`);
    assertStrictEquals(fake.log.filter((line) => line === "POST /token").length, 1);
  }));

Deno.test("GCE provider: a machine seen while its insert is running is powering on", () =>
  withFake(async (fake) => {
    const gce = providerFor(fake);
    const creating = gce.create({ name: "slow-1", size: "e2-small", image: "img", location: zones[0] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = (await gce.list()).find((machine) => machine.name === "slow-1");
    assertStrictEquals(during?.power.state, "powering-on");
    assertStrictEquals((await creating).power.state, "on");
  }, 800));

Deno.test("GCE provider: list pages through every configured zone", () =>
  withFake(async (fake) => {
    for (let i = 0; i < 5; i++) fake.seed(zones[0], `b-${i}`);
    for (let i = 0; i < 3; i++) fake.seed(zones[1], `c-${i}`, "TERMINATED", { tier: "cold" });
    const machines = await providerFor(fake, { pageSize: 2 }).list();
    assertEquals(machines.map((machine) => machine.providerRef), [
      ...[0, 1, 2, 3, 4].map((i) => `${zones[0]}/b-${i}`),
      ...[0, 1, 2].map((i) => `${zones[1]}/c-${i}`),
    ]);
    assertStrictEquals(machines[5].power.state, "off");
    assertEquals(machines[5].labels, { tier: "cold" });
    assertStrictEquals(fake.log.filter((line) => line.endsWith("/instances")).length, 3 + 2);
  }));

Deno.test("GCE provider: stop, start, reset and delete each wait for their operation", () =>
  withFake(async (fake) => {
    const gce = providerFor(fake);
    fake.seed(zones[0], "db-1");
    const ref = `${zones[0]}/db-1`;
    await gce.power(ref, "off");
    assertStrictEquals(fake.instances.get(ref)!.status, "TERMINATED");
    const reset = await assertRejects(() => gce.power(ref, "cycle")) as CloudProviderError;
    assertStrictEquals(
      reset.code,
      "RESOURCE_NOT_READY",
      "a stopped instance cannot be reset: the operation says so",
    );
    await gce.power(ref, "on");
    assertStrictEquals(fake.instances.get(ref)!.status, "RUNNING");
    await gce.power(ref, "cycle");
    await gce.delete(ref);
    assertStrictEquals(fake.instances.has(ref), false);
    assertEquals((await gce.list()).map((machine) => machine.name), []);
  }, 150));

Deno.test("GCE provider: a key the token endpoint does not know is an auth error; a missing instance not-found", () =>
  withFake(async (fake) => {
    const stranger = await makeServiceAccount("stranger@fake-project.iam.gserviceaccount.com");
    const refused = await assertRejects(() => providerFor(fake, {}, stranger).list()) as CloudProviderError;
    assertStrictEquals(refused.kind, "auth");
    assertStrictEquals(refused.code, "invalid_grant");
    const forged = await makeServiceAccount(account.email);
    const badSignature = await assertRejects(() =>
      providerFor(fake, {}, forged).list()
    ) as CloudProviderError;
    assertStrictEquals(badSignature.kind, "auth");
    assertMatch(badSignature.message, /Invalid JWT Signature/);
    const missing = await assertRejects(() =>
      providerFor(fake).power(`${zones[0]}/nothing`, "on")
    ) as CloudProviderError;
    assertStrictEquals(missing.kind, "not-found");
    assertStrictEquals(missing.status, 404);
  }));

Deno.test("GCE provider: 429 rateLimitExceeded is retried after Retry-After, and gives up when it stays", () =>
  withFake(async (fake) => {
    const gce = providerFor(fake);
    fake.seed(zones[0], "a");
    fake.inject.add(1, 429, { "Retry-After": "1" });
    const started = Date.now();
    assertStrictEquals((await gce.list()).length, 1);
    assert(Date.now() - started >= 950, "Retry-After: 1 was waited");
    fake.inject.add(3, 429);
    const throttled = await assertRejects(() => gce.list()) as CloudProviderError;
    assertStrictEquals(throttled.kind, "rate-limited");
    assertStrictEquals(throttled.code, "rateLimitExceeded");
  }));
