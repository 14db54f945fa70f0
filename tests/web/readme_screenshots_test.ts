// The two pictures in the README, taken from the running UI: the overview dashboard and necon's lease
// table, with a real client holding a lease. `CTPF_UPDATE_SCREENSHOTS=1` writes them to docs/screenshots/;
// otherwise they go to a temporary directory and are only checked (a PNG of the expected size).
import { rootTest, withLab } from "../harness/mod.ts";
import { clientScript, labConfig, startDhcpLab, udhcpc } from "../necon/lab.ts";
import { eventMatching } from "../necon/wait_events.ts";
import { assertEquals } from "../support/assert.ts";
import { haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";

const docs = new URL("../../docs/screenshots/", import.meta.url).pathname;
const update = Deno.env.get("CTPF_UPDATE_SCREENSHOTS") === "1";
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

rootTest({
  name: "web: the README's screenshots come from the running UI (overview dashboard, necon leases)",
  tools: ["busybox"],
  ignore: !haveChromium && !Deno.env.get("CI"),
  async fn() {
    const target = update ? docs : `${await Deno.makeTempDir({ prefix: "ctpf-screenshots-" })}/`;
    try {
      await withLab(async (lab) => {
        await using dhcp = await startDhcpLab(lab, {
          clients: 2,
          config: (br) => labConfig(br, { routers: ["10.61.0.1"], dnsServers: ["10.61.0.1"] }),
        });
        for (const [i, client] of dhcp.clients.entries()) {
          const hook = await clientScript(dhcp.workDir, `client${i}`);
          udhcpc(client, hook.path, ["-x", `hostname:node${i + 1}`]);
          await eventMatching(hook.events, /^bound ip=/, `client ${i} bound`);
        }
        await using browser = await launchBrowser({ netns: dhcp.server.name });
        const { page } = browser;
        await page.setViewportSize({ width: 1100, height: 640 });
        await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
        await page.locator("[data-headline='necon.leases_bound'] [data-field=value]", { hasText: "2" })
          .waitFor();
        await page.screenshot({ path: `${target}overview.png` });
        await page.goto(`${dhcp.necon.url}/#/necon/leases?sort=ip`);
        await page.locator("tr[data-ip] [data-field=state]", { hasText: "bound" }).nth(1).waitFor();
        await page.screenshot({ path: `${target}necon-leases.png` });
      });
      for (const name of ["overview.png", "necon-leases.png"]) {
        const bytes = await Deno.readFile(`${target}${name}`);
        const view = new DataView(bytes.buffer);
        assertEquals([...bytes.subarray(0, 8)], pngSignature, `${name} is a PNG`);
        assertEquals([view.getUint32(16), view.getUint32(20)], [1100, 640], `${name} size`);
      }
    } finally {
      if (!update) await Deno.remove(target, { recursive: true });
    }
  },
});
