// The first start, as a new user meets it: ctpf on its embedded defaults (as scripts/start.sh runs it:
// API and page on 127.0.0.1:8470, no service flags, an empty data directory), configured in the page
// alone — TFTP switched on for the machine's link on bofied's page, a subnet typed and the link ticked on
// necon's — and a diskless qemu BIOS machine on that link boots bofied's starter menu. The NIC's ROM is
// iPXE (user class "iPXE"), so the default rules hand it menu.ipxe over TFTP; the menu's title and items on
// the serial console (SeaBIOS copies the screen there) show that iPXE ran it whole.
import { rootTest, withLab } from "../harness/mod.ts";
import { waitFor } from "../harness/wait.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { haveChromium, launchBrowser, pageWaitMs, signInWithToken } from "../support/browser.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { starterMenuTitle } from "../../core/bofied/starter_menu.ts";
import { binaryIn, tapLan } from "./lan.ts";
import { startMachine } from "./machine.ts";

rootTest({
  name:
    "first start: DHCP and network boot configured in the page alone boot a diskless machine to the starter menu",
  tools: ["qemu-system-x86_64"],
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    await withLab(async (lab) => {
      const ns = await tapLan(lab);
      const work = await Deno.makeTempDir({ prefix: "ctpf-first-start-" });
      try {
        await using ctpf = await startBinary({
          command: binaryIn(ns, "ctpf.ts"),
          args: ["--listen", "127.0.0.1:8470"],
          dataDir: `${work}/data`,
        });
        assertMatch(
          ctpf.output(),
          /msg="starter boot tree installed" files=undionly\.kpxe,ipxe\.efi,snponly\.efi,menu\.ipxe/,
        );
        await using browser = await launchBrowser({ netns: ns.name });
        const { page } = browser;
        await signInWithToken(page, ctpf.url, ctpf.adminToken);

        // bofied: the page says what to do next; pick the link for TFTP and save.
        await page.goto(`${ctpf.url}/#/bofied`);
        await page.locator("[data-section=next-steps]").waitFor();
        assertEquals((await page.locator("[data-field=tftp-status]").textContent())?.trim(), "off");
        await page.locator("fieldset[aria-label='TFTP interface'] [data-interface=tap0] input").check();
        await page.locator("button[data-action=save-boot-settings]").click();
        await page.locator("[data-field=tftp-status]", { hasText: "on tap0, port 69" }).waitFor();
        assertEquals((await page.locator("[data-field=boot-address]").textContent())?.trim(), "10.66.0.1");

        // necon: a subnet for the link, then the link ticked.
        await page.goto(`${ctpf.url}/#/necon`);
        await page.getByRole("link", { name: "New subnet" }).click();
        await page.locator("input[name='subnet.cidr']").fill("10.66.0.0/24");
        await page.locator("input[name='subnet.pools[0].start']").fill("10.66.0.100");
        await page.locator("input[name='subnet.pools[0].end']").fill("10.66.0.150");
        await page.locator("input[name='subnet.routers']").fill("10.66.0.1");
        await page.getByRole("button", { name: "Create subnet" }).click();
        await page.waitForURL(/#\/necon\/subnets\/10\.66\.0\.0%2F24$/);
        await page.goto(`${ctpf.url}/#/necon`);
        await page.locator("[data-interface=tap0] input").check();
        await page.getByRole("button", { name: "Save interfaces" }).click();
        await page.getByRole("button", { name: "Save interfaces" }).waitFor({ state: "detached" });

        const serial = `${work}/serial.log`;
        const qemu = startMachine(ns, "tap0", serial, "bios");
        const read = () => Deno.readTextFile(serial).catch(() => "");
        const shown = (text: string) =>
          text.includes(starterMenuTitle) && text.includes("Boot from local disk");
        await waitFor(async () => shown(await read()), {
          what: "the starter menu (title and items) on the serial console",
          timeoutMs: 120_000,
          intervalMs: 500,
          describe: async () =>
            `serial:\n${(await read()).slice(-3000)}\nctpf:\n${ctpf.output().slice(-3000)}`,
        });
        await qemu.stop(5000);
        assertMatch(ctpf.output(), /msg="pxe answer" mac=52:54:00:\S+ answer="boot menu\.ipxe"/);
        const console = await read();
        assertEquals(
          /not found|Exec format error|No such file/i.exec(console)?.[0],
          undefined,
          console.slice(-2000),
        );

        // bofied's events show the menu sent over TFTP; the dashboard counts the boot.
        await page.goto(`${ctpf.url}/#/bofied/events`);
        await page.getByText(/sent \/?menu\.ipxe/).first().waitFor({ timeout: pageWaitMs });
        await page.goto(`${ctpf.url}/#/`);
        await page.locator("[data-headline='bofied.boots'] [data-field=value]", { hasText: /^[1-9]/ })
          .waitFor({ timeout: pageWaitMs });
        await page.locator("[data-service=necon] [data-field=summary]", { hasText: "serving tap0" })
          .waitFor();
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  },
});
