// The lease view with 60k leases in the store: it shows one page, pages on, filters on the server, and
// still follows a real client's lease live.
import { parseIpv4 } from "../../core/net/ipv4addr.ts";
import { assertEquals } from "../support/assert.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { clientScript, startDhcpLab, udhcpc } from "./lab.ts";
import { seedLeases } from "./seed_leases.ts";
import { eventMatching } from "./wait_events.ts";

const seeded = 60_000;

browserLabTest({
  name: "necon web: with 60k leases the lease view shows one page at a time, filters, and stays live",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, {
      clients: 1,
      config: (br) => ({
        interfaces: [br],
        subnets: [{
          id: "lab",
          cidr: "10.61.0.0/16",
          pools: [{ start: "10.61.0.100", end: "10.61.0.110" }, { start: "10.61.1.0", end: "10.61.254.254" }],
        }],
      }),
    });
    // The seeded leases sit above the first pool, where the real client's address comes from.
    await dhcp.restart(() =>
      seedLeases(`${dhcp.workDir}/data/ctpf.sqlite`, {
        subnetId: "lab",
        first: parseIpv4("10.61.1.0"),
        count: seeded,
        macBase: 0x0200_0100_0000,
      })
    );
    const hook = await clientScript(dhcp.workDir, "client");
    const client = udhcpc(dhcp.clients[0], hook.path);
    await eventMatching(hook.events, /^bound ip=10\.61\.0\.100/, "udhcpc bound");

    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    const started = performance.now();
    await page.goto(`${dhcp.necon.url}/#/necon/leases`);
    const rows = page.locator("table[aria-label=Leases] tbody tr[data-ip]");
    const range = page.locator("[data-field=range]");
    await range.filter({ hasText: `1–100 of ${seeded + 1}` }).waitFor();
    console.log(
      `first page of ${seeded + 1} leases shown ${(performance.now() - started).toFixed(0)} ms after goto`,
    );
    assertEquals(await rows.count(), 100);
    assertEquals(await rows.first().getAttribute("data-ip"), "10.61.0.100");
    await page.screenshot({ path: "/tmp/ctpf-necon-leases-60k.png" });

    await page.getByRole("button", { name: "Next" }).click();
    await range.filter({ hasText: `101–200 of ${seeded + 1}` }).waitFor();
    // Page two starts right after page one's last address (10.61.1.0 + 98).
    assertEquals(await rows.first().getAttribute("data-ip"), "10.61.1.99");
    await page.getByRole("button", { name: "Previous" }).click();
    await range.filter({ hasText: "1–100 of" }).waitFor();

    // The server filters all 60k, not the page: seed-59999 lives on the last page.
    await page.locator("input[name=q]").fill("seed-59999");
    await range.filter({ hasText: "1–1 of 1" }).waitFor();
    assertEquals(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-ip"))), [
      "10.61.235.95",
    ]);

    // Live: the real client's lease changes state on the page without a reload.
    await page.locator("input[name=q]").fill("10.61.0.100");
    const row = page.locator("tr[data-ip='10.61.0.100']");
    await row.locator("[data-field=state]", { hasText: "bound" }).waitFor();
    client.signal("SIGUSR2"); // udhcpc releases its lease
    await row.locator("[data-field=state]", { hasText: "released" }).waitFor();
  },
});
