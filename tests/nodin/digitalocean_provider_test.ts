/**
 * Our DigitalOcean provider against the DigitalOcean fake (which python-digitalocean checks in
 * digitalocean_fake_test.ts): create, paging, actions waited for until completed, delete, and the API's
 * errors as CloudProviderError kinds.
 */
import {
  DigitalOceanProvider,
  type DigitalOceanProviderOptions,
} from "../../core/nodin/clouds/digitalocean/do_provider.ts";
import { CloudProviderError } from "../../core/nodin/clouds/errors.ts";
import { DigitalOceanFakeServer } from "./fakes/digitalocean_fake_server.ts";
import { pollUntil } from "./support/poll.ts";
import { assert, assertEquals, assertRejects, assertStrictEquals } from "../support/assert.ts";

const token = "dop_v1_fake";

function providerFor(fake: DigitalOceanFakeServer, options: Partial<DigitalOceanProviderOptions> = {}) {
  return new DigitalOceanProvider({
    credential: { password: token },
    apiBase: fake.apiBase,
    retry: { attempts: 3, maxWaitMs: 5_000, backoffMs: 50 },
    pollIntervalMs: 50,
    ...options,
  });
}

async function withFake(fn: (fake: DigitalOceanFakeServer) => Promise<void>) {
  const fake = new DigitalOceanFakeServer({ token, actionMs: 300 });
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

Deno.test("DigitalOcean provider: a new droplet is powering on, then on once its create action completes", () =>
  withFake(async (fake) => {
    const digitalocean = providerFor(fake);
    const created = await digitalocean.create({
      name: "web-1",
      size: "s-1vcpu-1gb",
      image: "debian-12-x64",
      location: "ams3",
      labels: { role: "web", edge: "" },
      userData: "#cloud-config\n",
    });
    assertStrictEquals(created.providerState, "new");
    assertStrictEquals(created.power.state, "powering-on");
    assertEquals(created.labels, { role: "web", edge: "" });
    assertEquals(created.placement, { region: "ams3", size: "s-1vcpu-1gb", image: "debian-12-x64" });
    const stored = fake.droplets.get(Number(created.providerRef))!.droplet;
    assertEquals(stored.tags, ["role:web", "edge"]);
    assertStrictEquals(stored.user_data, "#cloud-config\n");
    const active = await pollUntil("active", async () => {
      const machine = (await digitalocean.list()).find((m) => m.providerRef === created.providerRef);
      return machine?.power.state === "on" ? machine : undefined;
    });
    assertStrictEquals(active.providerState, "active");
    assertEquals(active.addresses.length, 2);
    assertStrictEquals(active.architecture, "x86_64");
  }));

Deno.test("DigitalOcean provider: list follows links.pages.next over every page", () =>
  withFake(async (fake) => {
    const ids = Array.from({ length: 7 }, (_, i) => String(fake.seed(`node-${i}`, i % 2 ? "off" : "active")));
    const machines = await providerFor(fake, { pageSize: 3 }).list();
    assertEquals(machines.map((machine) => machine.providerRef), ids);
    assertEquals(machines.map((machine) => machine.power.state).slice(0, 2), ["on", "off"]);
    assertStrictEquals(fake.log.filter((line) => line === "GET /v2/droplets").length, 3);
  }));

Deno.test("DigitalOcean provider: power off, on, cycle, shutdown and delete wait for their actions", () =>
  withFake(async (fake) => {
    const digitalocean = providerFor(fake);
    const id = fake.seed("db-1");
    const droplet = () => fake.droplets.get(id)?.droplet;
    const started = Date.now();
    await digitalocean.power(String(id), "off");
    assert(Date.now() - started >= 300, "power returned after the action completed");
    assertStrictEquals(droplet()!.status, "off");
    await digitalocean.power(String(id), "on");
    assertStrictEquals(droplet()!.status, "active");
    await digitalocean.power(String(id), "cycle");
    await digitalocean.shutdown(String(id));
    assertStrictEquals(droplet()!.status, "off");
    await digitalocean.delete(String(id));
    assertStrictEquals(droplet(), undefined);
    assertEquals(
      fake.log.filter((line) => line.startsWith("POST") || line.startsWith("DELETE")),
      [
        ...Array(4).fill(`POST /v2/droplets/${id}/actions`),
        `DELETE /v2/droplets/${id}`,
      ],
    );
  }));

Deno.test("DigitalOcean provider: a wrong token is an auth error, a missing droplet not-found, a bad tag refused", () =>
  withFake(async (fake) => {
    const wrong = providerFor(fake, { credential: { password: "dop_v1_wrong" } });
    const auth = await assertRejects(() => wrong.list()) as CloudProviderError;
    assertStrictEquals(auth.kind, "auth");
    assertStrictEquals(auth.code, "unauthorized");
    const missing = await assertRejects(() => providerFor(fake).power("12345", "on")) as CloudProviderError;
    assertStrictEquals(missing.kind, "not-found");
    const badTag = await assertRejects(() =>
      providerFor(fake).create({ name: "x", size: "s", image: "i", location: "ams3", labels: { a: "b c" } })
    ) as CloudProviderError;
    assertStrictEquals(badTag.kind, "refused");
  }));

Deno.test("DigitalOcean provider: 429 is retried after Retry-After; a far RateLimit-Reset fails at once", () =>
  withFake(async (fake) => {
    const digitalocean = providerFor(fake);
    fake.inject.add(2, 429, { "Retry-After": "1" });
    const started = Date.now();
    assertEquals(await digitalocean.list(), []);
    const waited = Date.now() - started;
    assert(waited >= 1_900 && waited < 5_000, `waited ${waited} ms for two Retry-After: 1`);
    fake.inject.add(1, 429);
    const quick = Date.now();
    const throttled = await assertRejects(() => digitalocean.list()) as CloudProviderError;
    assertStrictEquals(throttled.kind, "rate-limited");
    assertStrictEquals(throttled.code, "too_many_requests");
    assert(Date.now() - quick < 1_000, "a reset a minute away is not waited for");
  }));

Deno.test("DigitalOcean provider: a page link to another origin is not followed with the token", () =>
  withFake(async (fake) => {
    const pointing = providerFor(fake, { apiBase: `http://localhost:${fake.port}/v2/`, pageSize: 1 });
    // The fake's links name 127.0.0.1, another origin than localhost: the token must not go there.
    fake.seed("a");
    fake.seed("b");
    const refused = await assertRejects(() => pointing.list()) as CloudProviderError;
    assertStrictEquals(refused.kind, "protocol");
    const sameOrigin = await providerFor(fake, { pageSize: 1 }).list();
    assertStrictEquals(sameOrigin.length, 2);
  }));
