// Boot settings from the web page, in namespaces: bofied starts with no boot flags in `node`, Chromium in
// the same namespace picks lan0 and switches TFTP on, and a real TFTP client (curl) in `client`, at the
// other end of lan0, fetches the starter menu, a file uploaded in the page and menu.ipxe as edited in
// the page. An interface without an IPv4 address is refused beside the field and TFTP stays where it was;
// the choice survives a restart, and a flag shows as read-only. The page also fits a 390 px screen.
import { Buffer } from "node:buffer";
import { type Page } from "playwright-core";
import { inNetns, type Netns } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { starterMenu, starterMenuTitle } from "../../core/bofied/starter_menu.ts";

const root = new URL("../../", import.meta.url).pathname;

/** What a TFTP client in `ns` gets for `name` from 10.77.0.1: the bytes, or curl's exit code. */
async function tftpGet(ns: Netns, name: string): Promise<Uint8Array | number> {
  const file = await Deno.makeTempFile({ prefix: "ctpf-tftp-get-" });
  try {
    const result = await ns.run(
      ["curl", "-sS", "--max-time", "5", "-o", file, `tftp://10.77.0.1/${name}`],
      { check: false },
    );
    return result.success ? await Deno.readFile(file) : result.code;
  } finally {
    await Deno.remove(file);
  }
}

async function assertNoWiderThan(page: Page, width: number, what: string): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(scrollWidth <= width, `${what} is ${scrollWidth} px wide at a ${width} px screen`);
}

browserLabTest({
  name: "web: bofied's boot settings switch TFTP on for the chosen interface; a real client fetches uploads",
  tools: ["curl"],
  async fn(lab) {
    const node = await lab.netns(), client = await lab.netns();
    await lab.veth(node, "lan0", client, "eth0");
    await lab.veth(node, "bare0", client, "eth1");
    await node.addAddress("lan0", "10.77.0.1/24");
    await client.addAddress("eth0", "10.77.0.2/24");
    for (
      const [ns, link] of [[node, "lan0"], [node, "bare0"], [client, "eth0"], [client, "eth1"]] as const
    ) {
      await ns.up(link);
    }
    const payload = crypto.getRandomValues(new Uint8Array(48_000));
    const dataDir = await Deno.makeTempDir({ prefix: "ctpf-boot-settings-web-" });
    const bofiedIn = (args: string[] = []) =>
      startBinary({
        command: inNetns([Deno.execPath(), "run", "--allow-all", `${root}cmd/bofied.ts`], node.name),
        args,
        dataDir,
      });
    try {
      {
        await using bofied = await bofiedIn();
        // Nobody chose an interface: nothing answers TFTP.
        assert(typeof await tftpGet(client, "menu.ipxe") === "number", "TFTP served before anyone chose");

        await using browser = await launchBrowser({ netns: node.name });
        const { page } = browser;
        const pageErrors: string[] = [];
        page.on("pageerror", (error) => pageErrors.push(error.message));
        await page.setViewportSize({ width: 390, height: 844 });
        await signInWithToken(page, bofied.url, bofied.adminToken);
        await page.goto(`${bofied.url}/#/bofied`);
        const nextSteps = page.locator("[data-section=next-steps]");
        await nextSteps.waitFor();
        assertEquals(
          await nextSteps.getByRole("link", { name: "DHCP page" }).getAttribute("href"),
          "#/necon",
        );
        assertEquals(await page.locator("[data-field=tftp-status]").textContent(), "off");
        const tftpPicker = page.locator("fieldset[aria-label='TFTP interface']");
        await tftpPicker.locator("[data-interface=lan0]").waitFor();
        await assertNoWiderThan(page, 390, "#/bofied");

        await tftpPicker.locator("[data-interface=lan0] input").check();
        assertEquals(
          await page.locator("input[data-setting=tftp]").isChecked(),
          true,
          "picking switches on",
        );
        assertEquals(
          await page.locator("input[name=bootAddress]").getAttribute("placeholder"),
          "10.77.0.1",
        );
        await page.locator("button[data-action=save-boot-settings]").click();
        await page.getByRole("status").filter({ hasText: "saved" }).waitFor();
        await page.locator("[data-field=tftp-status]").filter({ hasText: "on lan0, port 69" }).waitFor();
        assertEquals(await nextSteps.count(), 0, "the next steps go once TFTP serves");
        assertEquals(await page.locator("[data-field=boot-address]").textContent(), "10.77.0.1");
        await page.screenshot({ path: "/tmp/ctpf-bofied-setup.png", fullPage: true });

        // The starter menu over TFTP from the client's side of lan0, byte for byte.
        assertEquals(
          new TextDecoder().decode(await tftpGet(client, "menu.ipxe") as Uint8Array),
          starterMenu,
        );
        assertEquals(
          await tftpGet(client, "undionly.kpxe"),
          await Deno.readFile("/usr/lib/ipxe/undionly.kpxe"),
        );

        // A file uploaded in the page is served over TFTP as uploaded.
        await page.goto(`${bofied.url}/#/bofied/files`);
        await page.locator("tr[data-path='/menu.ipxe']").waitFor();
        await assertNoWiderThan(page, 390, "#/bofied/files");
        await page.setInputFiles("input[aria-label='Upload files']", {
          name: "payload.bin",
          mimeType: "application/octet-stream",
          buffer: Buffer.from(payload),
        });
        await page.locator("tr[data-path='/payload.bin']").waitFor();
        assertEquals(await tftpGet(client, "payload.bin"), payload);
        await page.screenshot({ path: "/tmp/ctpf-bofied-files.png", fullPage: true });

        // menu.ipxe edited in the page (its own address opens the editor) is what TFTP serves next.
        await page.goto(`${bofied.url}/#/bofied/files/menu.ipxe`);
        const editor = page.locator("[aria-label='Editing /menu.ipxe']");
        assertMatch(await editor.locator("textarea").inputValue(), new RegExp(starterMenuTitle));
        const edited = starterMenu.replace("# Your items here.", "item hello Hello from the page");
        await editor.locator("textarea").fill(edited);
        await editor.getByRole("button", { name: "Save" }).click();
        await editor.getByRole("status").filter({ hasText: "saved" }).waitFor();
        assertEquals(new TextDecoder().decode(await tftpGet(client, "menu.ipxe") as Uint8Array), edited);

        // An interface without an IPv4 address: refused beside the field, TFTP stays on lan0.
        await page.goto(`${bofied.url}/#/bofied`);
        await tftpPicker.locator("[data-interface=bare0] input").check();
        await page.locator("button[data-action=save-boot-settings]").click();
        const refusal = page.locator("[data-field-name=tftpInterface] .field-error");
        await refusal.waitFor();
        assertEquals(
          await refusal.textContent(),
          "bare0 has no IPv4 address: booting machines could not reach it",
        );
        assertEquals(await tftpGet(client, "payload.bin"), payload);
        await page.reload();
        await page.locator("[data-field=tftp-status]").filter({ hasText: "on lan0, port 69" }).waitFor();
        assertEquals(await tftpPicker.locator("[data-interface=lan0] input").isChecked(), true);
        assertEquals(pageErrors, []);
      }

      // Restarted with a flag: the stored TFTP choice serves at once, the flag's field is read-only.
      await using again = await bofiedIn(["--proxy-dhcp-interface", "lan0"]);
      assertEquals(await tftpGet(client, "payload.bin"), payload);
      await using browser = await launchBrowser({ netns: node.name });
      const { page } = browser;
      await signInWithToken(page, again.url, again.adminToken);
      await page.goto(`${again.url}/#/bofied`);
      const proxy = page.locator("[data-field-name=proxyDhcpInterface]");
      await proxy.getByText("set by --proxy-dhcp-interface lan0 (read-only here)").waitFor();
      assertEquals(await proxy.locator("input[data-setting=proxy-dhcp]").isDisabled(), true);
      assertEquals(await page.locator("[data-field=proxy-dhcp-status]").textContent(), "on lan0");
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
