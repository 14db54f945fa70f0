// The lease view in Chromium with real clients: "reserve" and "release" act on live leases, and the
// filter and order live in the URL.
import { waitFor } from "../harness/mod.ts";
import { assertEquals } from "../support/assert.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { clientScript, labConfig, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

type Config = { config: { subnets: { reservations?: { clientId?: string; ip: string }[] }[] } };

browserLabTest({
  name: "necon web: reserve turns a live lease into a reservation; release changes its state live",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, { clients: 1, config: (br) => labConfig(br) });
    const hook = await clientScript(dhcp.workDir, "client");
    udhcpc(dhcp.clients[0], hook.path);
    await eventMatching(hook.events, /^bound ip=10\.61\.0\.100/, "udhcpc bound");

    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    await page.goto(`${dhcp.necon.url}/#/necon/leases`);
    const row = page.locator("tr[data-ip='10.61.0.100']");
    await row.locator("[data-field=state]", { hasText: "bound" }).waitFor();

    await row.getByRole("button", { name: "Reserve" }).click();
    await row.locator(".badge", { hasText: "reserved" }).waitFor();
    const { config } = (await dhcp.api("GetConfig")) as Config;
    // udhcpc sends a client identifier (type 1, its MAC), so the reservation keys on that.
    assertEquals(config.subnets[0].reservations, [{ clientId: "01020000006100", ip: "10.61.0.100" }]);

    await row.getByRole("button", { name: "Release" }).click();
    await row.locator("[data-field=state]", { hasText: "released" }).waitFor();
    assertEquals(await row.getByRole("button", { name: "Release" }).count(), 0);
  },
});

browserLabTest({
  name: "necon web: the lease filter narrows by MAC and, with the order, survives a reload",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, { clients: 2, config: (br) => labConfig(br) });
    for (const [i, client] of dhcp.clients.entries()) {
      const hook = await clientScript(dhcp.workDir, `client${i}`);
      udhcpc(client, hook.path);
      await eventMatching(hook.events, /^bound ip=10\.61\.0\.10[01]/, `client ${i} bound`);
    }
    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    await page.goto(`${dhcp.necon.url}/#/necon/leases`);
    const rows = page.locator("table[aria-label=Leases] tbody tr[data-ip]");
    const shown = async (count: number) => {
      await waitFor(async () => (await rows.count()) === count, {
        what: `${count} lease rows`,
        timeoutMs: 10_000,
      });
      return await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-ip")));
    };
    const macOf = (ip: string) =>
      page.locator(`tr[data-ip='${ip}'] [data-field=mac]`).textContent().then((t) => t ?? "");
    assertEquals(await shown(2), ["10.61.0.100", "10.61.0.101"]);
    const secondMac = await macOf("10.61.0.101");

    // The address column is the default order: one click reverses it.
    await page.locator("button[data-sort=ip]").click();
    await page.waitForURL(/dir=desc/);
    assertEquals(await shown(2), ["10.61.0.101", "10.61.0.100"]);

    const fragment = secondMac.slice(-5); // "61:01" or whichever the second client has
    await page.locator("input[name=q]").fill(fragment);
    await page.waitForURL((url) => new URLSearchParams(url.hash.split("?")[1]).get("q") === fragment);
    assertEquals(await shown(1), ["10.61.0.101"]);

    await page.reload();
    await page.locator("table[aria-label=Leases]").waitFor();
    assertEquals(await page.locator("input[name=q]").inputValue(), fragment);
    assertEquals(await shown(1), ["10.61.0.101"]);
    assertEquals(await page.locator("th[aria-sort=descending] button[data-sort=ip]").count(), 1);

    await page.locator("input[name=q]").fill("");
    assertEquals(await shown(2), ["10.61.0.101", "10.61.0.100"]);
  },
});
