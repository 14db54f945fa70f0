/**
 * The EC2 fake checked by AWS's own client: Debian's awscli (botocore inside) lists, runs, stops, starts
 * and terminates instances through it and reads every answer, and a client with the wrong secret is
 * refused the way EC2 refuses it. So the fake is EC2's protocol as botocore knows it, not only ours.
 */
import { Ec2FakeServer } from "./fakes/ec2_fake_server.ts";
import { assert, assertEquals, assertMatch, assertStrictEquals } from "../support/assert.ts";

const secret = "fake-secret/with+chars";

async function aws(fake: Ec2FakeServer, args: string[], secretKey = secret) {
  const home = await Deno.makeTempDir({ prefix: "nodin-awscli-" });
  try {
    const output = await new Deno.Command("/usr/bin/aws", {
      args: ["--endpoint-url", fake.url, "--output", "json", "ec2", ...args],
      env: {
        PATH: "/usr/bin:/bin",
        HOME: home,
        AWS_ACCESS_KEY_ID: "AKIDFAKE",
        AWS_SECRET_ACCESS_KEY: secretKey,
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: `${home}/config`,
        AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_MAX_ATTEMPTS: "1",
        AWS_PAGER: "",
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    return {
      code: output.code,
      json: output.success && stdout.trim() ? JSON.parse(stdout) : undefined,
      stderr,
    };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function instancesOf(describe: { Reservations: { Instances: Record<string, unknown>[] }[] }) {
  return describe.Reservations.flatMap((reservation) => reservation.Instances);
}

Deno.test("EC2 fake: awscli runs, describes, stops, starts and terminates an instance", async () => {
  const fake = new Ec2FakeServer({ keys: { AKIDFAKE: secret }, transitionMs: 200 });
  try {
    const run = await aws(fake, [
      "run-instances",
      "--image-id",
      "ami-0abc123",
      "--instance-type",
      "t3.micro",
      "--count",
      "1",
      "--user-data",
      "#cloud-config",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=web-1},{Key=role,Value=web}]",
    ]);
    assertStrictEquals(run.code, 0, run.stderr);
    const launched = run.json.Instances[0];
    assertMatch(launched.InstanceId, /^i-[0-9a-f]{17}$/);
    assertStrictEquals(launched.State.Name, "pending");
    assertStrictEquals(launched.State.Code, 0);
    assertStrictEquals(launched.InstanceType, "t3.micro");
    const id = launched.InstanceId as string;

    await new Promise((resolve) => setTimeout(resolve, 250));
    const described = await aws(fake, ["describe-instances", "--instance-ids", id]);
    assertStrictEquals(described.code, 0, described.stderr);
    const [instance] = instancesOf(described.json);
    assertEquals(instance.State, { Code: 16, Name: "running" });
    assertEquals(instance.Tags, [{ Key: "Name", Value: "web-1" }, { Key: "role", Value: "web" }]);
    assertStrictEquals((instance.NetworkInterfaces as { MacAddress: string }[])[0].MacAddress.length, 17);
    assertStrictEquals(instance.Architecture, "x86_64");
    assertStrictEquals((instance.Placement as { AvailabilityZone: string }).AvailabilityZone, "us-east-1a");

    const stopped = await aws(fake, ["stop-instances", "--instance-ids", id]);
    assertStrictEquals(stopped.code, 0, stopped.stderr);
    assertEquals(stopped.json.StoppingInstances[0].CurrentState, { Code: 64, Name: "stopping" });
    assertEquals(stopped.json.StoppingInstances[0].PreviousState, { Code: 16, Name: "running" });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const started = await aws(fake, ["start-instances", "--instance-ids", id]);
    assertStrictEquals(started.code, 0, started.stderr);
    assertEquals(started.json.StartingInstances[0].PreviousState, { Code: 80, Name: "stopped" });
    const rebooted = await aws(fake, ["reboot-instances", "--instance-ids", id]);
    assertStrictEquals(rebooted.code, 0, rebooted.stderr);

    const terminated = await aws(fake, ["terminate-instances", "--instance-ids", id]);
    assertStrictEquals(terminated.code, 0, terminated.stderr);
    assertStrictEquals(terminated.json.TerminatingInstances[0].CurrentState.Name, "shutting-down");
    assertEquals(fake.log, [
      "RunInstances",
      "DescribeInstances",
      "StopInstances",
      "StartInstances",
      "RebootInstances",
      "TerminateInstances",
    ]);
  } finally {
    await fake.close();
  }
});

Deno.test("EC2 fake: awscli pages through DescribeInstances with MaxResults and NextToken", async () => {
  const fake = new Ec2FakeServer({ keys: { AKIDFAKE: secret } });
  try {
    const ids = Array.from({ length: 12 }, (_, i) => fake.seed(`node-${i}`));
    const described = await aws(fake, ["describe-instances", "--page-size", "5"]);
    assertStrictEquals(described.code, 0, described.stderr);
    assertEquals(instancesOf(described.json).map((instance) => instance.InstanceId), ids);
    assertEquals(fake.log, ["DescribeInstances", "DescribeInstances", "DescribeInstances"]);
  } finally {
    await fake.close();
  }
});

Deno.test("EC2 fake: awscli with a wrong secret is refused with AuthFailure; an unknown id is NotFound", async () => {
  const fake = new Ec2FakeServer({ keys: { AKIDFAKE: secret } });
  try {
    const refused = await aws(fake, ["describe-instances"], "not-the-secret");
    assert(refused.code !== 0, "a wrongly signed request must fail");
    assertMatch(refused.stderr, /AuthFailure/);
    const missing = await aws(fake, ["stop-instances", "--instance-ids", "i-0123456789abcdef0"]);
    assert(missing.code !== 0);
    assertMatch(missing.stderr, /InvalidInstanceID\.NotFound/);
  } finally {
    await fake.close();
  }
});
