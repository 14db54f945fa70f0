// The bofied page in Chromium: upload into the boot tree, the file listed with its http link, the rules
// editor refusing a broken version (the running rules stay) and saving a good one, events live.
import { Buffer } from "node:buffer";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";
import { startBinary } from "../support/ctpf_process.ts";

Deno.test({
  name: "web: bofied page uploads a file, refuses broken rules, saves good ones, shows events",
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    await using bofied = await startBinary({ entry: "cmd/bofied.ts" });
    await using browser = await launchBrowser();
    const { page } = browser;
    await signInWithToken(page, bofied.url, bofied.adminToken);
    await page.goto(`${bofied.url}/#/bofied/files`);
    await page.locator("[data-field=http-boot]").waitFor();

    await page.setInputFiles("input[aria-label='Upload files']", {
      name: "boot.ipxe",
      mimeType: "text/plain",
      buffer: Buffer.from("#!ipxe\necho hello\n"),
    });
    const row = page.locator("tr[data-path='/boot.ipxe']");
    await row.waitFor();
    assertEquals(await row.locator("a[data-link=http]").getAttribute("href"), `${bofied.url}/boot/boot.ipxe`);
    assertEquals(await (await fetch(`${bofied.url}/boot/boot.ipxe`)).text(), "#!ipxe\necho hello\n");

    await page.getByRole("navigation", { name: "Network boot views" }).getByRole("link", { name: "Rules" })
      .click();
    const editor = page.locator("[aria-label='Editing rules.ts']");
    const original = await editor.locator("textarea").inputValue();
    assertMatch(original, /export default function bootRules/);
    await editor.locator("textarea").fill("export default () => ({ tftpFile: 42 })");
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.getByRole("alert").filter({ hasText: "tftpFile must be a string" }).waitFor();
    const stored = await Deno.readTextFile(`${bofied.dataDir}/bofied/rules.ts`);
    assertEquals(stored, original, "a refused version must not be written");

    await editor.locator("textarea").fill(`export default () => ({ tftpFile: "custom.efi" });`);
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.getByRole("status").filter({ hasText: "saved" }).waitFor();
    assertMatch(await Deno.readTextFile(`${bofied.dataDir}/bofied/rules.ts`), /custom\.efi/);
    await page.getByRole("navigation", { name: "Network boot views" }).getByRole("link", { name: "Events" })
      .click();
    const events = page.locator("[aria-label='Boot events']");
    await events.getByText("file written").waitFor();
    await events.getByText("rules saved").waitFor();
    assert((await events.textContent())?.includes("loaded"), "the rules reload shows as an event");
  },
});
