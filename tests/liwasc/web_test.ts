// The liwasc page in Chromium (running inside the scanner's namespace): a network scan fills the node
// table live with vendors, the node's own view (#/liwasc/nodes/<mac>) port-scans it and lists its open
// port with the service name, and the wake button shows the wake's state.
import { waitFor } from "../harness/mod.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { serveTcp, startLiwasc, startScanLab } from "./lab.ts";

browserLabTest({
  name: "web: liwasc page scans the network, shows nodes with vendors, port-scans one and wakes one",
  tools: ["socat", "ss"],
  async fn(lab) {
    const scanLab = await startScanLab(lab, 5);
    const [served] = scanLab.hosts;
    await serveTcp(scanLab, served, [22]);
    await using liwasc = await startLiwasc(scanLab.scanner, scanLab.scannerInterface);
    await using browser = await launchBrowser({ netns: scanLab.scanner.name });
    const { page } = browser;
    await signInWithToken(page, liwasc.url, liwasc.adminToken);
    await page.goto(`${liwasc.url}/#/liwasc`);
    await page.getByText("scan0 (10.77.0.1/24)").waitFor();
    await page.getByRole("button", { name: "Scan network" }).click();
    const rows = page.locator("table[aria-label=Nodes] tbody tr");
    await waitFor(async () => await rows.count() === 5, { what: "five node rows", timeoutMs: 10_000 });
    const row = page.locator(`tr[data-mac='${served.mac}']`);
    assertEquals(await row.locator("[data-field=power]").textContent(), "on");
    assertMatch((await row.textContent()) ?? "", /Cisco/i);

    await row.getByRole("link", { name: served.mac }).click();
    await page.waitForURL(`**/#/liwasc/nodes/${encodeURIComponent(served.mac)}`);
    const detail = page.locator(`[aria-label='Node ${served.mac}']`);
    await detail.locator("input[name=tcp]").fill("20-25");
    await detail.getByRole("button", { name: "Scan ports" }).click();
    const port = detail.locator("tr[data-port='22/tcp']");
    await port.waitFor({ timeout: 10_000 });
    assertEquals(await port.locator("[data-field=state]").textContent(), "open");
    assertMatch((await port.textContent()) ?? "", /ssh/);
    // Back in the node table, the node's row shows the open port once the scan ends.
    await page.goBack();
    await row.locator("[data-field=ports]").filter({ hasText: "22/tcp" }).waitFor({ timeout: 10_000 });

    await row.getByRole("button", { name: "Wake" }).click();
    await row.locator("[data-field=wake]").filter({ hasText: "awake" }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: "/tmp/ctpf-liwasc-page.png", fullPage: true });
  },
});
