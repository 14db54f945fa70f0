// liwasc's web page end to end, from a first start without --scan-interfaces: the scan interface is
// ticked in the page, a node scan from the page finds the peer namespace's hosts by ARP, the node's own
// view port-scans one (a real socat listener shows open) and cancels a slow scan, the wake button sends
// magic packets tshark decodes on the peer's side and shows the wake turn awake (or time out for a node
// that stays down), the scan history lists it all, a bad setting is
// refused beside its field, and the choice survives a restart unless --scan-interfaces overrides it.
import { startCapture, wakeOnLanFilter } from "../support/tcpdump.ts";
import type { Page } from "playwright-core";
import { rootTest, sleep, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { browserLabTest, haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";
import { addLink, blackholeReplies, callLiwasc, serveTcp, startLiwasc, startScanLab } from "./lab.ts";

const interfaceBox = (page: Page, name: string) =>
  page.locator(`fieldset[aria-label='Scan interfaces'] [data-interface='${name}'] input`);

/** No view is wider than a 390 px phone screen (wide tables scroll inside their own box). */
async function assertFitsPhone(page: Page, what: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 390, `${what}: ${width} px wide at 390 px`);
}

/**
 * The WoL packets in a capture, as Wireshark's own dissector decodes them: per packet, the MAC of each of
 * its 16 repetitions.
 */
async function wolTargets(capture: string): Promise<string[][]> {
  const { stdout } = await new Deno.Command("tshark", {
    args: ["-r", capture, "-Y", "wol", "-T", "fields", "-e", "wol.mac"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(stdout).split("\n").filter(Boolean).map((line) => line.split(","));
}

rootTest({
  name:
    "web: liwasc from a first start without --scan-interfaces: choose, scan, port-scan, wake, history, settings",
  tools: ["socat", "ss", "tcpdump", "tshark"],
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 2);
      const { scanner, hostsNetns } = scanLab;
      const [served, silent] = scanLab.hosts;
      await serveTcp(scanLab, served, [873]);
      await using liwasc = await startLiwasc(scanner);
      await using browser = await launchBrowser({ netns: scanner.name });
      const { page } = browser;
      const views = page.locator("nav[aria-label='liwasc views']");
      await signInWithToken(page, liwasc.url, liwasc.adminToken);

      // (a) Nothing is chosen at first: nothing can be scanned, and the page says where to choose.
      await page.goto(`${liwasc.url}/#/liwasc`);
      await page.locator("[data-field=no-interfaces]").waitFor();
      assert(await page.getByRole("button", { name: "Scan network" }).isDisabled(), "scan button enabled");
      const refused = await callLiwasc(scanner, liwasc, "StartNodeScan");
      assertEquals(refused.error?.code, "failed_precondition");
      await page.getByRole("link", { name: "Choose scan interfaces" }).click();
      await page.waitForURL("**/#/liwasc/settings");
      await interfaceBox(page, "scan0").check();
      await page.getByRole("button", { name: "Save" }).click();
      await page.locator("[data-field=saved]").waitFor();
      assertEquals((await callLiwasc(scanner, liwasc, "GetSettings")).settings.scanInterfaces, ["scan0"]);
      assertEquals(await page.locator("[data-field=flag]").count(), 0);

      await views.getByRole("link", { name: "Nodes" }).click();
      await page.getByText("scan0 (10.77.0.1/24)").waitFor();
      await page.getByRole("button", { name: "Scan network" }).click();
      const rows = page.locator("table[aria-label=Nodes] tbody tr[data-mac]");
      await waitFor(async () => await rows.count() === 2, { what: "two node rows", timeoutMs: 10_000 });
      const row = page.locator(`tr[data-mac='${served.mac}']`);
      assertEquals(await row.locator("[data-field=address]").textContent(), served.ip);
      await page.locator("[data-scan][data-state=done]").waitFor();

      // The filter narrows the table and lives in the URL: a reload keeps it.
      await page.locator("input[name=filter]").fill(served.mac.slice(-5));
      await waitFor(async () => await rows.count() === 1, { what: "one row after filtering" });
      assertMatch(page.url(), /[?&]q=/);
      await page.reload();
      await row.waitFor();
      assertEquals(await rows.count(), 1);
      assertEquals(await page.locator("input[name=filter]").inputValue(), served.mac.slice(-5));

      // (b) The node's own view: a preset port scan finds the listener, live.
      await row.getByRole("link", { name: served.mac }).click();
      await page.waitForURL(`**/#/liwasc/nodes/${encodeURIComponent(served.mac)}`);
      const view = page.locator(`[aria-label='Node ${served.mac}']`);
      await view.locator("select[name=preset]").selectOption("1-1024");
      assertEquals(await view.locator("input[name=tcp]").inputValue(), "1-1024");
      await view.getByRole("button", { name: "Scan ports" }).click();
      const port = view.locator("tr[data-port='873/tcp']");
      await port.waitFor({ timeout: 10_000 });
      assertEquals(await port.locator("[data-field=state]").textContent(), "open");
      assertMatch((await port.textContent()) ?? "", /rsync/);
      await view.locator("[data-scan][data-state=done]").waitFor({ timeout: 15_000 });
      assertEquals(await view.locator("table[aria-label=Ports] tbody tr[data-port]").count(), 1);

      // (c) The wake button: tcpdump on the peer's side sees the magic packets, the page the wake's state.
      const capture = await Deno.makeTempFile({ prefix: "ctpf-web-wol-", suffix: ".pcap" });
      try {
        const tcpdump = await startCapture(hostsNetns, "hosts0", capture, wakeOnLanFilter);
        await view.getByRole("button", { name: "Wake" }).click();
        await view.locator("[data-field=wake]").filter({ hasText: "awake" }).waitFor({ timeout: 10_000 });
        await view.locator("table[aria-label=Wakes] tbody tr").first().waitFor();
        await sleep(200);
        await tcpdump.stop();
        const targets = await wolTargets(capture);
        assert(targets.length >= 2, `${targets.length} WoL packets captured`);
        for (const repetitions of targets) assertEquals(repetitions, Array(16).fill(served.mac));
      } finally {
        await Deno.remove(capture);
      }

      // A port scan of a host whose answers vanish is slow (every probe waits): Cancel stops it.
      await blackholeReplies(scanLab, silent);
      await page.goto(`${liwasc.url}/#/liwasc/nodes/${encodeURIComponent(silent.mac)}`);
      const slow = page.locator(`[aria-label='Node ${silent.mac}']`);
      await slow.locator("select[name=preset]").selectOption("all");
      await slow.getByRole("button", { name: "Scan ports" }).click();
      await slow.locator("[data-scan][data-state=running]").getByRole("button", { name: "Cancel" }).click();
      await slow.locator("[data-scan][data-state=cancelled]").waitFor();
      const { scans } = await callLiwasc(scanner, liwasc, "ListScans", { kind: "SCAN_KIND_PORT" });
      assertEquals(scans.map((s: { target: string; state: string }) => `${s.target} ${s.state}`), [
        `${silent.ip} SCAN_STATE_CANCELLED`,
        `${served.ip} SCAN_STATE_DONE`,
      ]);

      // A wake of a node that stays down (its link is down: no ARP answer) times out after the wait asked for.
      await hostsNetns.ip("link", "set", silent.name, "down");
      await slow.getByText("Wake options").click();
      await slow.locator("input[name=wake_timeout]").fill("2");
      await slow.getByRole("button", { name: "Wake" }).click();
      await slow.locator("[data-field=wake]").filter({ hasText: "waiting" }).waitFor();
      await slow.locator("[data-field=wake]").filter({ hasText: "timed out" }).waitFor({ timeout: 6000 });

      // The scan history: every scan with its kind, target, outcome; sorting goes into the URL.
      await views.getByRole("link", { name: "Scans" }).click();
      await page.waitForURL("**/#/liwasc/scans");
      const history = page.locator("table[aria-label=Scans] tbody tr[data-scan]");
      await waitFor(async () => await history.count() === 3, { what: "three scans listed" });
      const texts = await history.allTextContents();
      assertMatch(texts[0], new RegExp(`port.*${silent.ip}.*cancelled`));
      assertMatch(texts[1], new RegExp(`port.*${served.ip}.*1 open port.*1024/1024.*done`));
      assertMatch(texts[2], /node.*scan0.*2 nodes.*done/);
      await page.locator("button[data-sort=duration]").click();
      assertMatch(page.url(), /scans\.sort=duration/);

      // (d) Wrong settings are refused beside their fields, and nothing is kept.
      const before = (await callLiwasc(scanner, liwasc, "GetSettings")).settings;
      await views.getByRole("link", { name: "Settings" }).click();
      const form = page.locator("form[aria-label=Settings]");
      await form.locator("input[name=arp_rate]").fill("0");
      await form.locator("input[name=retention_days]").fill("5000");
      await form.getByRole("button", { name: "Save" }).click();
      const arpError = form.locator("[data-field-name='settings.arp_rate'] .field-error");
      await arpError.waitFor();
      assertEquals(await arpError.textContent(), "from 1 to 100000 requests per second");
      assertMatch(
        (await form.locator("[data-field-name='settings.retention_days'] .field-error").textContent()) ?? "",
        /to 3650 days/,
      );
      assertEquals(
        await form.locator("[data-field-name='settings.scan_interval_minutes'] .field-error").count(),
        0,
      );
      assertEquals((await callLiwasc(scanner, liwasc, "GetSettings")).settings, before);

      // Every view fits a phone.
      await page.setViewportSize({ width: 390, height: 844 });
      const phoneViews = [
        ["", "table[aria-label=Nodes] tr[data-mac]"],
        ["/scans", "table[aria-label=Scans] tr[data-scan]"],
        ["/settings", "form[aria-label=Settings] [data-interface=scan0]"],
        [`/nodes/${encodeURIComponent(served.mac)}`, "table[aria-label=Ports] tr[data-port]"],
      ];
      for (const [view, content] of phoneViews) {
        await page.goto(`${liwasc.url}/#/liwasc${view}`);
        await page.locator(content).first().waitFor();
        await assertFitsPhone(page, `#/liwasc${view}`);
      }
      await page.screenshot({ path: "/tmp/ctpf-liwasc-node-phone.png", fullPage: true });
      // A node view of a MAC liwasc never saw says so.
      await page.goto(`${liwasc.url}/#/liwasc/nodes/02:00:00:00:00:99`);
      assertMatch((await page.getByRole("alert").textContent()) ?? "", /no node 02:00:00:00:00:99/);
    });
  },
});

browserLabTest({
  name: "web: liwasc keeps the scan interfaces chosen in the page across a restart; --scan-interfaces wins",
  async fn(lab) {
    const scanLab = await startScanLab(lab, 1);
    await addLink(scanLab, lab, 1, 0, "10.78.0");
    const { scanner } = scanLab;
    const dataDir = await Deno.makeTempDir({ prefix: "ctpf-liwasc-web-" });
    try {
      await using browser = await launchBrowser({ netns: scanner.name });
      const { page } = browser;
      const openSettings = async (liwasc: { url: string; adminToken: string }) => {
        await signInWithToken(page, liwasc.url, liwasc.adminToken);
        await page.goto(`${liwasc.url}/#/liwasc/settings`);
        await interfaceBox(page, "scan1").waitFor();
      };
      {
        await using liwasc = await startLiwasc(scanner, undefined, { dataDir });
        await openSettings(liwasc);
        assertEquals([
          await interfaceBox(page, "scan0").isChecked(),
          await interfaceBox(page, "scan1").isChecked(),
        ], [
          false,
          false,
        ]);
        await interfaceBox(page, "scan0").check();
        await page.getByRole("button", { name: "Save" }).click();
        await page.locator("[data-field=saved]").waitFor();
      }
      {
        await using liwasc = await startLiwasc(scanner, undefined, { dataDir });
        await openSettings(liwasc);
        assertEquals([
          await interfaceBox(page, "scan0").isChecked(),
          await interfaceBox(page, "scan1").isChecked(),
        ], [
          true,
          false,
        ]);
        assertEquals(await page.locator("[data-field=flag]").count(), 0);
        const metadata = await callLiwasc(scanner, liwasc, "GetScannerMetadata");
        assertEquals(metadata.interfaces.map((i: { name: string }) => i.name), ["scan0"]);
      }
      {
        await using liwasc = await startLiwasc(scanner, "scan1", { dataDir });
        await openSettings(liwasc);
        await waitFor(async () => await interfaceBox(page, "scan1").isChecked(), { what: "scan1 ticked" });
        assertEquals(await interfaceBox(page, "scan0").isChecked(), false);
        assertMatch(
          (await page.locator("[data-field=flag]").textContent()) ?? "",
          /--scan-interfaces scan1: at every start that list replaces the one chosen here/,
        );
        assertEquals((await callLiwasc(scanner, liwasc, "GetSettings")).settings.scanInterfaces, ["scan1"]);
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
