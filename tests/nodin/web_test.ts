// nodin's page in Chromium against ctpf in a namespace: a machine taking a lease appears in the node
// table live, is enrolled with a click, and its view shows the history; the rule editor shows the API's
// reasons beside its fields, and a rule saved there enrols the next machine as it appears.
import { rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { call, leaseAll, startInServer, startNodinLan } from "./lab.ts";

const macs = ["02:00:00:00:61:00", "02:00:00:00:62:01"];

rootTest({
  name:
    "nodin web: a leased machine shows up live, is enrolled with a click; a rule from the editor enrols the next",
  tools: ["busybox"],
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    await withLab(async (lab) => {
      await using lan = await startNodinLan(lab, macs);
      await using ctpf = await startInServer(lan, "ctpf", ["--dhcp-config", lan.neconConfig]);
      await using browser = await launchBrowser({ netns: lan.server.name });
      const { page } = browser;
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await signInWithToken(page, ctpf.url, ctpf.adminToken);
      await page.goto(`${ctpf.url}/#/nodin`);
      await page.getByText("No nodes yet").waitFor();

      // The first machine only: it must appear while the page is open.
      const first = { ...lan, clients: lan.clients.slice(0, 1), macs: macs.slice(0, 1) };
      const [address] = await leaseAll(first);
      const row = page.locator(`tr[data-mac='${macs[0]}']`);
      await row.locator("[data-field=lifecycle]", { hasText: "discovered" }).waitFor();
      assertEquals(await row.locator("[data-field=address]").textContent(), address);
      assertEquals(await row.locator("[data-field=sources]").textContent(), "necon");
      await row.getByRole("button", { name: "Enrol" }).click();
      await row.locator("[data-field=lifecycle]", { hasText: "enrolled" }).waitFor();
      assertEquals(await row.getByRole("button", { name: "Enrol" }).count(), 0);
      const { nodes } = await call(lan, ctpf, "NodinService", "ListInventory");
      assertEquals(nodes.map((n: { lifecycle: string }) => n.lifecycle), ["enrolled"]);

      // The filter lives in the URL; the node's view shows its history.
      await page.locator("input[name=q]").fill("62:01");
      await page.waitForURL(/q=62%3A01/);
      await page.getByText("No node matches the filter.").waitFor();
      await page.locator("input[name=q]").fill("");
      await row.getByRole("link").click();
      await page.locator("[data-field=lifecycle]", { hasText: "enrolled" }).waitFor();
      const history = page.locator("table[aria-label=History]");
      await history.getByText(/^discovered → enrolled: enrolled by \S*admin$/).waitFor();
      await history.getByText("discovered by necon").waitFor();
      assertMatch(
        await page.locator("[data-field=sources]").textContent() ?? "",
        /^necon \(lease 10\.61\.0\.1\d\d bound\)$/,
      );

      // A wrong rule is refused beside its field; a right one enrols the second machine when it appears.
      await page.goto(`${ctpf.url}/#/nodin/rules`);
      await page.getByRole("button", { name: "Add a rule" }).click();
      const form = page.locator("form[aria-label='Enrolment rule']");
      await form.locator("input[name='rule.name']").fill("second rack");
      await form.locator("input[name='rule.mac_prefixes']").fill("02:00:00:00:6z");
      await form.locator("input[name='rule.set_labels']").fill("rack=two");
      await form.getByRole("button", { name: "Save rule" }).click();
      const prefixError = form.locator("[data-field-name='rule.mac_prefixes'] .field-error");
      await prefixError.waitFor();
      assertMatch(await prefixError.textContent() ?? "", /\[0\]: "02:00:00:00:6z" is not a MAC or a prefix/);
      await form.locator("input[name='rule.mac_prefixes']").fill("02:00:00:00:62");
      await form.getByRole("button", { name: "Save rule" }).click();
      await page.locator("table[aria-label='Enrolment rules'] td", { hasText: "second rack" }).waitFor();

      await page.goto(`${ctpf.url}/#/nodin`);
      const second = { ...lan, clients: lan.clients.slice(1), macs: macs.slice(1) };
      await leaseAll(second);
      const secondRow = page.locator(`tr[data-mac='${macs[1]}']`);
      await secondRow.locator("[data-field=lifecycle]", { hasText: "enrolled" }).waitFor();
      assertEquals(await secondRow.locator("[data-field=labels]").textContent(), "rack=two");
      await waitFor(
        async () => (await page.locator("table[aria-label=Nodes] tbody tr[data-id]").count()) === 2,
        {
          what: "two node rows",
        },
      );
      assert(errors.length === 0, errors.join("\n"));
    });
  },
});

Deno.test({
  name: "nodin web: every view fits a 390 px screen; an unknown view or node says so",
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    await using ctpf = await startBinary();
    await using browser = await launchBrowser();
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await signInWithToken(page, ctpf.url, ctpf.adminToken);
    for (
      const route of [
        "nodin",
        "nodin/rules",
        "nodin/drivers",
        "nodin/clouds",
        "nodin/bmc",
        "nodin/nodes/n-0000000000",
      ]
    ) {
      await page.goto(`${ctpf.url}/#/${route}`);
      await page.getByRole("heading", { level: 2, name: "Nodes" }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 390, `#/${route} is ${width} px wide at a 390 px screen`);
    }
    await page.getByText("No node n-0000000000 (yet)").waitFor();
    await page.goto(`${ctpf.url}/#/nodin/drivers`);
    await page.locator("table[aria-label='Power drivers']").waitFor();
    await page.goto(`${ctpf.url}/#/nodin/elsewhere`);
    await page.getByText('No nodin view "elsewhere".').waitFor();
  },
});
