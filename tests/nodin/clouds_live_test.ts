/**
 * The providers against the real clouds, read-only (list only), when credentials are in the environment:
 * AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, AWS_REGION), GOOGLE_APPLICATION_CREDENTIALS
 * (a service-account key file; zones from GCE_ZONES, comma-separated, project from the key or
 * GOOGLE_CLOUD_PROJECT), DIGITALOCEAN_TOKEN. Without them each test is reported as ignored.
 */
import {
  createDigitalOceanProvider,
  createEc2Provider,
  createGceProvider,
} from "../../core/nodin/clouds/mod.ts";
import type { CloudMachine } from "../../core/nodin/clouds/provider.ts";
import { assert } from "../support/assert.ts";

const env = (name: string) => Deno.env.get(name) || undefined;

function checkListed(machines: CloudMachine[]) {
  for (const machine of machines) {
    assert(machine.providerRef, "every machine has a provider reference");
    assert(machine.power.evidence, "every power observation has evidence");
  }
}

Deno.test({
  name: "live AWS EC2: DescribeInstances lists the region's instances",
  ignore: !env("AWS_ACCESS_KEY_ID") || !env("AWS_SECRET_ACCESS_KEY"),
  fn: async () => {
    const ec2 = createEc2Provider({
      region: env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1",
      credential: {
        username: env("AWS_ACCESS_KEY_ID"),
        password: env("AWS_SECRET_ACCESS_KEY"),
        extra: env("AWS_SESSION_TOKEN") ? { sessionToken: env("AWS_SESSION_TOKEN")! } : undefined,
      },
    });
    checkListed(await ec2.list(AbortSignal.timeout(60_000)));
  },
});

Deno.test({
  name: "live GCE: instances.list lists the project's instances in the zones given",
  ignore: !env("GOOGLE_APPLICATION_CREDENTIALS"),
  fn: async () => {
    const gce = createGceProvider({
      project: env("GOOGLE_CLOUD_PROJECT"),
      zones: (env("GCE_ZONES") ?? "us-central1-a").split(","),
      credential: {
        extra: { serviceAccountKey: await Deno.readTextFile(env("GOOGLE_APPLICATION_CREDENTIALS")!) },
      },
    });
    checkListed(await gce.list(AbortSignal.timeout(60_000)));
  },
});

Deno.test({
  name: "live DigitalOcean: droplets lists the account's droplets",
  ignore: !env("DIGITALOCEAN_TOKEN"),
  fn: async () => {
    const digitalocean = createDigitalOceanProvider({ credential: { password: env("DIGITALOCEAN_TOKEN") } });
    checkListed(await digitalocean.list(AbortSignal.timeout(60_000)));
  },
});
