/**
 * Cloud accounts through NodinService (the real handlers, in process) against each provider's fake
 * (loopback only; each fake is checked by the provider's own client in *_fake_test.ts): the listing makes
 * nodes, a machine made through nodin appears in the fake and the model, power off goes through the
 * desired-state loop and the observed power follows, delete terminates and retires, a machine gone from
 * the provider retires its node, and a wrong credential is a clear account error that loses nothing.
 */
import { toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ListCloudAccountsResponseSchema } from "../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { MetricsText } from "../../core/testing/metrics.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { type CloudFake, digitalOceanFake, ec2Fake, gceFake } from "./support/cloud_fakes.ts";
import { type CloudNodin, withCloudNodin } from "./support/cloud_nodin.ts";
import { pollUntil } from "./support/poll.ts";

async function nodeOf(lab: CloudNodin, ref: string) {
  return (await lab.client.listInventory({})).nodes.find((node) => node.providerRef === ref);
}

async function scenario(makeFake: () => CloudFake | Promise<CloudFake>) {
  const fake = await makeFake();
  try {
    await withCloudNodin(async (lab) => {
      const { client } = lab;
      const seeded = fake.seed("seeded-1");
      const { account } = await client.putCloudAccount({ account: await fake.account("lab-cloud") });
      assert(account?.hasCredential, "the credential is stored");
      const synced = await client.syncCloudAccount({ id: account!.id });
      assertEquals([synced.account?.lastSync?.ok, synced.account?.lastSync?.error], [true, ""]);
      assertStrictEquals(synced.account?.lastSync?.machines, 1);

      // The listing: one node per machine, with the provider, its reference, labels and power evidence.
      const node = (await nodeOf(lab, seeded))!;
      assert(node, `a node for ${seeded}`);
      assertEquals([node.name, node.provider, node.cloudAccount, node.lifecycle], [
        "seeded-1",
        fake.provider,
        account!.id,
        "discovered",
      ]);
      assertStrictEquals(node.labels.rack, "a");
      assertEquals(node.sources.map((source) => source.source), ["cloud:lab-cloud"]);
      assertEquals(node.observedPower?.state, "on");
      assertMatch(node.observedPower!.evidence, /^cloud:lab-cloud: /);
      assertEquals(node.bmc?.driver, "cloud");
      assert(node.architecture !== "" || fake.provider === "gce", "architecture from the provider");

      // Create through nodin: the machine is made in the fake and its node is in the model, enrolled.
      const { node: made } = await client.createNode({
        node: { name: "made-1", labels: { role: "web" } },
        cloud: { accountId: account!.id, ...fake.createSpec },
      });
      const madeRef = fake.refOf("made-1");
      assert(madeRef, "the fake holds the machine made through nodin");
      assertEquals([made?.providerRef, made?.lifecycle, made?.labels.role], [madeRef, "enrolled", "web"]);

      // Power off through the desired-state loop: the fake stops it and the observed power follows.
      await client.setPower({ id: node.id, action: "off" });
      await pollUntil(
        "the fake machine stopped",
        () => Promise.resolve(fake.state(seeded) === fake.stoppedState || undefined),
        15_000,
      );
      const off = await pollUntil("observed power off", async () => {
        const current = await nodeOf(lab, seeded);
        return current?.observedPower?.state === "off" ? current : undefined;
      }, 15_000);
      assertMatch(off.observedPower!.evidence, /^cloud:lab-cloud: /);
      const history = (await client.listNodeHistory({ id: node.id })).entries.map((e) => e.message);
      assert(history.some((line) => /cloud: off/.test(line)), history.join("\n"));
      // Counted as it happened: the listings, the power off through the cloud driver and its polls.
      const counted = new MetricsText(lab.api.metrics.render());
      const provider = { provider: fake.provider };
      assert(counted.value("ctpf_nodin_cloud_listings_total", { ...provider, result: "ok" }) >= 1);
      assertEquals(counted.value("ctpf_nodin_cloud_listings_total", { result: "failed" }), 0);
      assertEquals(
        counted.value("ctpf_nodin_power_actions_total", { driver: "cloud", action: "off", result: "ok" }),
        1,
      );
      assert(
        counted.value("ctpf_nodin_power_polls_total", { driver: "cloud" }) >= 2,
        "polls before and after",
      );
      assert(counted.value("ctpf_nodin_nodes_observed_power", { state: "off" }) >= 1, "the machine stopped");
      assertEquals(counted.value("ctpf_nodin_nodes", { lifecycle: "discovered" }), 1);
      assertEquals(counted.value("ctpf_nodin_nodes", { lifecycle: "enrolled" }), 1);

      // Delete through nodin: terminated in the fake, the node retired with its history.
      await client.deleteNode({ id: made!.id });
      await pollUntil(
        "the fake machine gone",
        () =>
          Promise.resolve(
            ["terminated", "shutting-down", undefined].includes(fake.state(madeRef!)) || undefined,
          ),
      );
      const retired = (await client.getInventoryNode({ id: made!.id })).node!;
      assertEquals([retired.lifecycle, retired.bmc], ["retired", undefined]);
      assertMatch(
        (await client.listNodeHistory({ id: made!.id })).entries[0].message,
        /→ retired: deleted at cloud:lab-cloud by admin/,
      );

      // A machine gone behind nodin's back retires its node at the next listing.
      fake.forget(seeded);
      await client.syncCloudAccount({ id: account!.id });
      assertStrictEquals((await client.getInventoryNode({ id: node.id })).node?.lifecycle, "retired");
    });
  } finally {
    await fake.close();
  }
}

async function wrongCredential(makeFake: () => CloudFake | Promise<CloudFake>) {
  const fake = await makeFake();
  try {
    await withCloudNodin(async (lab) => {
      const { client } = lab;
      const seeded = fake.seed("kept-1");
      const { account } = await client.putCloudAccount({ account: await fake.account("acct") });
      await client.syncCloudAccount({ id: account!.id });
      const before = (await nodeOf(lab, seeded))!;

      const wrong = await fake.account("acct", false);
      await client.putCloudAccount({ account: { ...wrong, id: account!.id } });
      const { account: failed } = await client.syncCloudAccount({ id: account!.id });
      assertEquals(failed?.lastSync?.ok, false);
      assertMatch(failed!.lastSync!.error, /^auth: /);
      const counted = new MetricsText(lab.api.metrics.render());
      assert(
        counted.value("ctpf_nodin_cloud_listings_total", { provider: fake.provider, result: "failed" }) >= 1,
        "the refused listing is counted as failed",
      );
      // Nothing lost: the node is still there, not retired.
      const after = (await client.getInventoryNode({ id: before.id })).node!;
      assertEquals([after.lifecycle, after.providerRef], [before.lifecycle, seeded]);
      // The credential is write-only: neither the good nor the wrong secret is ever answered.
      const listed = toJsonString(ListCloudAccountsResponseSchema, await client.listCloudAccounts({}));
      for (const secret of ["fake-secret", "wrong-secret", "dop_v1_fake", "dop_v1_wrong", "PRIVATE KEY"]) {
        assert(!listed.includes(secret), `${secret} not echoed`);
      }
      const files = [...Deno.readDirSync(lab.credentialDir)];
      assertStrictEquals(files.length, 1);
      assertStrictEquals(Deno.statSync(`${lab.credentialDir}/${files[0].name}`).mode! & 0o777, 0o600);
      // Making a machine with the wrong credential is refused with the account's reason.
      const refused = ConnectError.from(
        await assertRejects(() =>
          client.createNode({ node: { name: "nope" }, cloud: { accountId: account!.id, ...fake.createSpec } })
        ),
      );
      assertEquals(Code[refused.code], Code[Code.FailedPrecondition]);
      assertMatch(refused.rawMessage, /cloud:acct: auth: /);
    });
  } finally {
    await fake.close();
  }
}

for (
  const [name, make] of [["EC2", ec2Fake], ["GCE", gceFake], ["DigitalOcean", digitalOceanFake]] as const
) {
  Deno.test(`nodin clouds (${name} fake): listed as nodes; create, power off and delete through NodinService`, () =>
    scenario(make));
  Deno.test(`nodin clouds (${name} fake): a wrong credential is a clear account error and loses nothing`, () =>
    wrongCredential(make));
}

Deno.test("nodin clouds: an account's settings are checked field by field", async () => {
  await withCloudNodin(async ({ client }) => {
    const refused = ConnectError.from(
      await assertRejects(() =>
        client.putCloudAccount({
          account: {
            name: "bad name",
            provider: "aws-ec2",
            settings: { endpoint: "file:///etc", zone: "x" },
          },
        })
      ),
    );
    assertEquals(Code[refused.code], Code[Code.InvalidArgument]);
    assertMatch(refused.rawMessage, /account.name/);
    assertMatch(refused.rawMessage, /account.settings.endpoint: an http\(s\) URL/);
    assertMatch(refused.rawMessage, /account.settings.region: aws-ec2 needs region/);
  });
});
