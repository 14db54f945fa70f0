// The necon page in Chromium: subnets with usage, and a lease appearing live while a client joins.

import { assertMatch } from "../support/assert.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { clientScript, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

browserLabTest({
  name: "necon: the web page shows the subnet and a lease live as udhcpc joins and leaves",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, {
      clients: 1,
      config: (br) => ({
        interfaces: [br],
        subnets: [{
          cidr: "10.61.0.0/24",
          pools: [{ start: "10.61.0.100", end: "10.61.0.109" }],
          routers: ["10.61.0.1"],
          reservations: [{ mac: "02:00:00:00:61:55", ip: "10.61.0.55", hostname: "spare" }],
        }],
      }),
    });
    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    await page.goto(`${dhcp.necon.url}/#/necon`);
    const subnet = page.locator("[data-subnet='10.61.0.0/24']");
    // Usage comes from GetStats, polled beside the configuration: read the row once it is there.
    await subnet.locator("[data-field=usage]", { hasText: "bound" }).waitFor();
    assertMatch(
      await subnet.textContent() ?? "",
      /0\/10 bound.*10\.61\.0\.100–10\.61\.0\.109.*10\.61\.0\.55 ← 02:00:00:00:61:55/,
    );

    // The lease view is open before the client joins, so its row arrives live.
    await page.goto(`${dhcp.necon.url}/#/necon/leases`);
    await page.locator("table[aria-label=Leases]").waitFor();
    const hook = await clientScript(dhcp.workDir, "web");
    const client = udhcpc(dhcp.clients[0], hook.path);
    await eventMatching(hook.events, /^bound ip=10\.61\.0\.100/, "udhcpc bound");
    const row = page.locator("tr[data-ip='10.61.0.100']");
    await row.locator("[data-field=state]", { hasText: "bound" }).waitFor();
    assertMatch(await row.textContent() ?? "", /02:00:00:00:61:00/);
    await page.goto(`${dhcp.necon.url}/#/necon`);
    await page.locator("[data-subnet='10.61.0.0/24'] [data-field=usage]", { hasText: "1/10 bound" })
      .waitFor();
    await page.goto(`${dhcp.necon.url}/#/necon/leases`);
    await row.locator("[data-field=state]", { hasText: "bound" }).waitFor();
    await client.signal("SIGUSR2");
    await row.locator("[data-field=state]", { hasText: "released" }).waitFor();
  },
});
