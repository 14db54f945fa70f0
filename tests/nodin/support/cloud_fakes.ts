/**
 * The three cloud fakes behind one shape, so one scenario runs against each: the account nodin is given,
 * a machine seeded as if made earlier, the fake's own view of a machine's state, and a create spec.
 */
import type { CloudAccountInput } from "../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CloudAccountInputSchema } from "../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { DigitalOceanFakeServer } from "../fakes/digitalocean_fake_server.ts";
import { Ec2FakeServer } from "../fakes/ec2_fake_server.ts";
import { GceFakeServer } from "../fakes/gce_fake_server.ts";
import { makeServiceAccount } from "./service_account.ts";

export type AccountInit = MessageInitShape<typeof CloudAccountInputSchema>;

export interface CloudFake {
  provider: string;
  account(name: string, rightCredential?: boolean): Promise<AccountInit> | AccountInit;
  /** Seeds a running machine labelled rack=a; returns its provider reference. */
  seed(name: string): string;
  /** The fake's state of the machine (undefined once gone). */
  state(ref: string): string | undefined;
  stoppedState: string;
  /** Removes the machine behind nodin's back (as if deleted in the provider's console). */
  forget(ref: string): void;
  createSpec: { size: string; image: string; location: string };
  /** The machine named `name` in the fake, if one is. */
  refOf(name: string): string | undefined;
  close(): Promise<void>;
}

export type { CloudAccountInput };

export function ec2Fake(): CloudFake {
  const fake = new Ec2FakeServer({ keys: { AKIDFAKE: "fake-secret" }, transitionMs: 300 });
  return {
    provider: "aws-ec2",
    account: (name, right = true) => ({
      name,
      provider: "aws-ec2",
      settings: { region: "us-east-1", endpoint: fake.url },
      credential: { username: "AKIDFAKE", password: right ? "fake-secret" : "wrong-secret" },
    }),
    seed: (name) => fake.seed(name, "running", { rack: "a" }),
    state: (ref) => fake.instances.get(ref)?.state,
    stoppedState: "stopped",
    forget: (ref) => fake.instances.delete(ref),
    createSpec: { size: "t3.micro", image: "ami-0abc123", location: "us-east-1" },
    refOf: (name) =>
      [...fake.instances.values()].find((i) => i.tags.some(([k, v]) => k === "Name" && v === name))?.id,
    close: () => fake.close(),
  };
}

export async function gceFake(): Promise<CloudFake> {
  const zone = "europe-west1-b";
  const project = "fake-project";
  const serviceAccount = await makeServiceAccount();
  const stranger = await makeServiceAccount("stranger@fake-project.iam.gserviceaccount.com");
  const fake = new GceFakeServer({
    project,
    zones: [zone],
    requireToken: true,
    accounts: { [serviceAccount.email]: serviceAccount.publicKey },
    operationMs: 300,
  });
  return {
    provider: "gce",
    account: (name, right = true) => ({
      name,
      provider: "gce",
      settings: { zones: zone, project, endpoint: fake.apiBase, token_url: fake.tokenUrl },
      credential: {
        extra: { serviceAccountKey: (right ? serviceAccount : stranger).keyFile(fake.tokenUrl, project) },
      },
    }),
    seed: (name) => {
      fake.seed(zone, name, "RUNNING", { rack: "a" });
      return `${zone}/${name}`;
    },
    state: (ref) => fake.instances.get(ref)?.status,
    stoppedState: "TERMINATED",
    forget: (ref) => fake.instances.delete(ref),
    createSpec: {
      size: "e2-small",
      image: "projects/debian-cloud/global/images/family/debian-12",
      location: zone,
    },
    refOf: (name) => fake.instances.has(`${zone}/${name}`) ? `${zone}/${name}` : undefined,
    close: () => fake.close(),
  };
}

export function digitalOceanFake(): CloudFake {
  const fake = new DigitalOceanFakeServer({ token: "dop_v1_fake", actionMs: 300 });
  return {
    provider: "digitalocean",
    account: (name, right = true) => ({
      name,
      provider: "digitalocean",
      settings: { endpoint: fake.apiBase },
      credential: { password: right ? "dop_v1_fake" : "dop_v1_wrong" },
    }),
    seed: (name) => String(fake.seed(name, "active", ["rack:a"])),
    state: (ref) => fake.droplets.get(Number(ref))?.droplet.status,
    stoppedState: "off",
    forget: (ref) => fake.droplets.delete(Number(ref)),
    createSpec: { size: "s-1vcpu-1gb", image: "debian-12-x64", location: "ams3" },
    refOf: (name) => {
      const found = [...fake.droplets.values()].find((d) => d.droplet.name === name);
      return found ? String(found.droplet.id) : undefined;
    },
    close: () => fake.close(),
  };
}
