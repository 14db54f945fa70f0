// nodin's cloud accounts in Chromium against a real ctpf and the EC2 fake (both on loopback): an account
// added in the page (its secret write-only) lists the fake's machines as nodes with their provider; a
// wrong secret shows the account's error; the BMC check form shows the API's reasons beside its fields.
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { Ec2FakeServer } from "./fakes/ec2_fake_server.ts";

Deno.test({
  name: "nodin web: a cloud account added in the page lists the EC2 fake's machines as nodes",
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    const fake = new Ec2FakeServer({ keys: { AKIDFAKE: "fake-secret" } });
    try {
      fake.seed("web-1", "running", { role: "web" });
      fake.seed("db-1", "stopped");
      await using ctpf = await startBinary();
      await using browser = await launchBrowser();
      const { page } = browser;
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await signInWithToken(page, ctpf.url, ctpf.adminToken);

      const addAccount = async (name: string, secret: string) => {
        await page.goto(`${ctpf.url}/#/nodin/clouds`);
        await page.getByRole("button", { name: "Add a cloud account" }).click();
        const form = page.locator("form[aria-label='Cloud account']");
        await form.locator("input[name='account.name']").fill(name);
        await form.locator("select[name='account.provider']").selectOption("aws-ec2");
        await form.locator("input[name='account.settings.region']").fill("us-east-1");
        await form.locator("input[name='account.settings.endpoint']").fill(fake.url);
        await form.locator("input[name='account.credential.username']").fill("AKIDFAKE");
        await form.locator("input[name='account.credential.secret']").fill(secret);
        await form.getByRole("button", { name: "Add account" }).click();
        return page.locator(`tr[data-account='${name}']`);
      };

      // A refused field is shown beside its input; nothing is added.
      await page.goto(`${ctpf.url}/#/nodin/clouds`);
      await page.getByRole("button", { name: "Add a cloud account" }).click();
      const form = page.locator("form[aria-label='Cloud account']");
      await form.locator("input[name='account.name']").fill("ec2 lab");
      await form.getByRole("button", { name: "Add account" }).click();
      await form.locator("[data-field-name='account.name'] .field-error").waitFor();
      assertMatch(
        await form.locator("[data-field-name='account.settings.region'] .field-error").textContent() ?? "",
        /aws-ec2 needs region/,
      );
      await form.getByRole("button", { name: "Cancel" }).click();

      const row = await addAccount("ec2-lab", "fake-secret");
      await row.locator("[data-field=sync]", { hasText: "2 machines" }).waitFor();
      assertEquals(await row.locator("[data-field=credential]").textContent(), "stored");
      assert(!(await page.content()).includes("fake-secret"), "the secret is not shown again");

      // The machines are nodes, shown with their provider, power and source.
      await page.goto(`${ctpf.url}/#/nodin`);
      const nodes = page.locator("table[aria-label=Nodes]");
      const web = nodes.locator("tr", { has: page.getByRole("link", { name: "web-1" }) });
      await web.locator("[data-field=provider]", { hasText: "aws-ec2" }).waitFor();
      assertEquals(await web.locator("[data-field=power]").textContent(), "on");
      assertEquals(await web.locator("[data-field=sources]").textContent(), "cloud:ec2-lab");
      assertEquals(await web.locator("[data-field=labels]").textContent(), "role=web");
      const db = nodes.locator("tr", { has: page.getByRole("link", { name: "db-1" }) });
      await db.locator("[data-field=power]", { hasText: "off" }).waitFor();

      // A wrong secret: the account's row says why, and the nodes stay.
      const wrong = await addAccount("ec2-wrong", "not-the-secret");
      await wrong.locator("[data-field=sync]", { hasText: /failed .*auth: / }).waitFor();
      await page.goto(`${ctpf.url}/#/nodin`);
      await web.waitFor();

      // The BMC check form: the API's reasons beside the fields, no node made.
      await page.goto(`${ctpf.url}/#/nodin/bmc`);
      const check = page.locator("form[aria-label='Check a BMC']");
      await check.locator("select[name='bmc.driver'] option", { hasText: "ipmi" }).waitFor({
        state: "attached",
      });
      // Every registered BMC driver is offered; the cloud driver (a provider's own power) is not a BMC.
      assertEquals(await check.locator("select[name='bmc.driver'] option").allTextContents(), [
        "ipmi",
        "libvirt",
        "redfish",
        "ssh",
        "webhook",
        "wol",
      ]);
      await check.getByRole("button", { name: "Status" }).click();
      await check.locator("[data-field-name='bmc.address'] .field-error").waitFor();
      assert(errors.length === 0, errors.join("\n"));
    } finally {
      await fake.close();
    }
  },
});
