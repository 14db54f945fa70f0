/**
 * Our EC2 provider against the EC2 fake (which awscli checks in ec2_fake_test.ts): create, the pending →
 * running transition seen later, paging, power, delete, and EC2's errors as CloudProviderError kinds.
 */
import { Ec2Provider } from "../../core/nodin/clouds/aws/ec2_provider.ts";
import { CloudProviderError } from "../../core/nodin/clouds/errors.ts";
import { Ec2FakeServer } from "./fakes/ec2_fake_server.ts";
import { pollUntil } from "./support/poll.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";

const secret = "fake-secret";

function providerFor(
  fake: Ec2FakeServer,
  options: Partial<ConstructorParameters<typeof Ec2Provider>[0]> = {},
) {
  return new Ec2Provider({
    region: "us-east-1",
    credential: { username: "AKIDFAKE", password: secret },
    endpoint: fake.url,
    retry: { attempts: 3, maxWaitMs: 5_000, backoffMs: 50 },
    ...options,
  });
}

async function withFake(fn: (fake: Ec2FakeServer) => Promise<void>) {
  const fake = new Ec2FakeServer({ keys: { AKIDFAKE: secret }, transitionMs: 300 });
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

Deno.test("EC2 provider: create is pending, later running; machine mapped with tags, MAC and addresses", () =>
  withFake(async (fake) => {
    const ec2 = providerFor(fake);
    const created = await ec2.create({
      name: "web-1",
      size: "t3.micro",
      image: "ami-0abc123",
      location: "us-east-1b/subnet-0123",
      labels: { role: "web" },
      userData: "#cloud-config\n",
    });
    assertMatch(created.providerRef, /^i-[0-9a-f]{17}$/);
    assertStrictEquals(created.name, "web-1");
    assertStrictEquals(created.providerState, "pending");
    assertStrictEquals(created.power.state, "powering-on");
    assertMatch(created.power.evidence, /instanceState pending \(code 0\)/);
    assertEquals(created.labels, { role: "web" });
    assertEquals(created.placement, {
      region: "us-east-1",
      zone: "us-east-1b",
      size: "t3.micro",
      image: "ami-0abc123",
    });
    const stored = fake.instances.get(created.providerRef)!;
    assertStrictEquals(stored.subnetId, "subnet-0123");
    assertStrictEquals(atob(stored.userData), "#cloud-config\n");

    const running = await pollUntil("running", async () => {
      const machine = (await ec2.list()).find((m) => m.providerRef === created.providerRef);
      return machine?.power.state === "on" ? machine : undefined;
    });
    assertStrictEquals(running.providerState, "running");
    assertStrictEquals(running.architecture, "x86_64");
    assertMatch(running.macs[0], /^0e:00:00:00:[0-9a-f]{2}:[0-9a-f]{2}$/);
    assert(running.addresses.some((address) => address.startsWith("172.31.")), running.addresses.join());
    assert(running.addresses.some((address) => address.startsWith("198.51.100.")), "public address listed");
  }));

Deno.test("EC2 provider: list follows NextToken over every page and leaves terminated instances out", () =>
  withFake(async (fake) => {
    const ids = Array.from(
      { length: 12 },
      (_, i) => fake.seed(`node-${i}`, "running", { rack: String(i % 2) }),
    );
    fake.seed("gone", "terminated");
    const machines = await providerFor(fake, { pageSize: 5 }).list();
    assertEquals(machines.map((machine) => machine.providerRef), ids);
    assertEquals(machines.map((machine) => machine.name), ids.map((_, i) => `node-${i}`));
    assertStrictEquals(machines[3].labels.rack, "1");
    assertStrictEquals(fake.log.length, 3);
  }));

Deno.test("EC2 provider: power off, on, cycle and delete move the instance through EC2's states", () =>
  withFake(async (fake) => {
    const ec2 = providerFor(fake);
    const id = fake.seed("db-1", "running");
    const stateOf = async () => (await ec2.list()).find((machine) => machine.providerRef === id)?.power.state;
    await ec2.power(id, "off");
    assertStrictEquals(await stateOf(), "powering-off");
    await pollUntil("stopped", async () => await stateOf() === "off" || undefined);
    await ec2.power(id, "on");
    assertStrictEquals(await stateOf(), "powering-on");
    await pollUntil("running", async () => await stateOf() === "on" || undefined);
    await ec2.power(id, "cycle");
    await ec2.delete(id);
    assertStrictEquals(await stateOf(), "powering-off");
    await pollUntil("terminated and gone", async () => await stateOf() === undefined || undefined);
    assertEquals(fake.log.filter((action) => action !== "DescribeInstances"), [
      "StopInstances",
      "StartInstances",
      "RebootInstances",
      "TerminateInstances",
    ]);
  }));

Deno.test("EC2 provider: a wrong secret is an auth error, an unknown instance not-found", () =>
  withFake(async (fake) => {
    const wrong = providerFor(fake, { credential: { username: "AKIDFAKE", password: "wrong" } });
    const auth = await assertRejects(() => wrong.list(), CloudProviderError) as CloudProviderError;
    assertStrictEquals(auth.kind, "auth");
    assertStrictEquals(auth.code, "AuthFailure");
    assertStrictEquals(auth.status, 401);
    const missing = await assertRejects(() =>
      providerFor(fake).power("i-0123456789abcdef0", "on")
    ) as CloudProviderError;
    assertStrictEquals(missing.kind, "not-found");
    assertStrictEquals(missing.code, "InvalidInstanceID.NotFound");
    const elsewhere = await assertRejects(() =>
      providerFor(fake).create({ name: "x", size: "t3.micro", image: "ami-1", location: "eu-west-1a" })
    ) as CloudProviderError;
    assertStrictEquals(elsewhere.kind, "refused");
  }));

Deno.test("EC2 provider: RequestLimitExceeded is retried after Retry-After; a longer ask fails at once", () =>
  withFake(async (fake) => {
    const ec2 = providerFor(fake);
    fake.inject.add(2, 503, { "Retry-After": "1" });
    const started = Date.now();
    assertEquals(await ec2.list(), []);
    const waited = Date.now() - started;
    assert(waited >= 1_900 && waited < 5_000, `waited ${waited} ms for two Retry-After: 1`);
    assertStrictEquals(fake.log.length, 3);

    fake.inject.add(1, 503, { "Retry-After": "3600" });
    const quick = Date.now();
    const throttled = await assertRejects(() => ec2.list()) as CloudProviderError;
    assertStrictEquals(throttled.kind, "rate-limited");
    assert(Date.now() - quick < 1_000, "an hour's Retry-After is not waited");

    fake.inject.add(3, 503);
    const exhausted = await assertRejects(() => ec2.list()) as CloudProviderError;
    assertStrictEquals(exhausted.kind, "rate-limited");
    assertStrictEquals(fake.log.length, 3 + 1 + 3);
  }));
