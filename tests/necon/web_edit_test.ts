// Configuring necon from its page in Chromium, checked by what real clients get: an interface ticked and
// a subnet typed serve udhcpc; a refused edit shows its reasons beside the inputs and changes nothing.
import { withTimeout } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { clientScript, labConfig, readEvents, startDhcpLab, udhcpc } from "./lab.ts";
import { eventMatching } from "./wait_events.ts";

type Config = { interfaces?: string[]; subnets?: { id: string; pools?: unknown[]; routers?: string[] }[] };

browserLabTest({
  name: "necon web: an interface ticked and a subnet typed in the page serve udhcpc from that pool",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, { clients: 1, config: () => ({}) });
    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    await page.goto(`${dhcp.necon.url}/#/necon`);
    await page.locator("[data-field=served]", { hasText: "No interface is served" }).waitFor();
    await page.getByText("No subnets configured").waitFor();

    await page.getByRole("link", { name: "New subnet" }).click();
    await page.waitForURL(/#\/necon\/subnets\/new$/);
    await page.locator("input[name='subnet.cidr']").fill("10.61.0.0/24");
    await page.locator("input[name='subnet.pools[0].start']").fill("10.61.0.150");
    await page.locator("input[name='subnet.pools[0].end']").fill("10.61.0.160");
    await page.locator("input[name='subnet.routers']").fill("10.61.0.1");
    await page.getByRole("button", { name: "Create subnet" }).click();
    await page.waitForURL(/#\/necon\/subnets\/10\.61\.0\.0%2F24$/);
    assertMatch(
      await page.locator("[data-field=running]").textContent() ?? "",
      /pools 10\.61\.0\.150–10\.61\.0\.160 · routers 10\.61\.0\.1/,
    );

    // No interface ticked yet: the subnet exists, and still nothing is served.
    const early = await clientScript(dhcp.workDir, "early");
    const unserved = udhcpc(dhcp.clients[0], early.path, ["-n", "-t", "2"]);
    const status = await withTimeout(unserved.status, 15_000, "udhcpc giving up");
    assert(!status.success, "udhcpc got an answer before any interface was chosen");
    assertEquals((await readEvents(early.events)).filter((e) => e.startsWith("bound")), []);

    await page.goto(`${dhcp.necon.url}/#/necon`);
    await page.locator("[data-interface=br0] input").check();
    await page.getByRole("button", { name: "Save interfaces" }).click();
    await page.locator("[data-field=served]").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Save interfaces" }).waitFor({ state: "detached" });
    const config = (await dhcp.api("GetConfig")) as { config: Config };
    assertEquals(config.config.interfaces, ["br0"]);

    const hook = await clientScript(dhcp.workDir, "served");
    udhcpc(dhcp.clients[0], hook.path);
    await eventMatching(
      hook.events,
      /^bound ip=10\.61\.0\.150 router=10\.61\.0\.1 /,
      "udhcpc bound from the pool",
    );
  },
});

browserLabTest({
  name: "necon web: a refused edit shows each reason beside its field, and the running config still serves",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, {
      clients: 1,
      config: (br) => labConfig(br, { routers: ["10.61.0.1"] }),
    });
    const hook = await clientScript(dhcp.workDir, "client");
    const client = udhcpc(dhcp.clients[0], hook.path);
    await eventMatching(hook.events, /^bound ip=10\.61\.0\.100 router=10\.61\.0\.1 /, "udhcpc bound");
    const before = await dhcp.api("GetConfig");

    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    await page.goto(`${dhcp.necon.url}/#/necon/subnets/lab`);
    const start = page.locator("input[name='subnet.pools[0].start']");
    await start.fill("10.62.0.5");
    await page.locator("input[name='subnet.routers']").fill("10.61.0.1, 10.0.0.300");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    await page.locator("[data-field=form-status]", { hasText: "Not saved" }).waitFor();
    const startError = page.locator("[data-field-name='subnet.pools[0].start'] .field-error");
    assertMatch(await startError.textContent() ?? "", /10\.62\.0\.5 is outside 10\.61\.0\.0\/24/);
    const routerError = page.locator("[data-field-name='subnet.routers'] .field-error");
    assertMatch(await routerError.textContent() ?? "", /^#2: .*10\.0\.0\.300/);
    // The fields the server did not name carry no error.
    assertEquals(await page.locator("[data-field-name='subnet.pools[0].end'] .field-error").count(), 0);
    // The page says what still runs, and so does the API.
    assertMatch(
      await page.locator("[data-field=running]").textContent() ?? "",
      /pools 10\.61\.0\.100–10\.61\.0\.110 · routers 10\.61\.0\.1 ·/,
    );
    assertEquals(await dhcp.api("GetConfig"), before);

    await client.signal("SIGUSR1"); // renew under the running configuration
    await eventMatching(hook.events, /^renew ip=10\.61\.0\.100 router=10\.61\.0\.1 /, "udhcpc renewed");
  },
});

browserLabTest({
  name: "necon web: a reservation typed in the page is what udhcpc gets; edit moves it; the subnet deletes",
  tools: ["busybox"],
  async fn(lab) {
    await using dhcp = await startDhcpLab(lab, { clients: 1, config: (br) => labConfig(br) });
    await using browser = await launchBrowser({ netns: dhcp.server.name });
    const { page } = browser;
    await signInWithToken(page, dhcp.necon.url, dhcp.necon.adminToken);
    await page.goto(`${dhcp.necon.url}/#/necon/subnets/lab`);
    await page.getByRole("button", { name: "Add reservation" }).click();
    const form = page.getByRole("form", { name: "Reservation" });
    await form.locator("input[name='reservation.ip']").fill("10.61.0.42");
    await form.locator("input[name='reservation.mac']").fill("02:00:00:00:61:0g");
    await form.locator("input[name='reservation.hostname']").fill("node-a");
    await form.getByRole("button", { name: "Add reservation" }).click();
    await form.locator("[data-field-name='reservation.mac'] .field-error").waitFor();
    assertEquals(await page.locator("tr[data-reservation]").count(), 0);

    await form.locator("input[name='reservation.mac']").fill("02:00:00:00:61:00");
    await form.getByRole("button", { name: "Add reservation" }).click();
    await page.locator("tr[data-reservation='10.61.0.42']", { hasText: "node-a" }).waitFor();
    const hook = await clientScript(dhcp.workDir, "reserved");
    udhcpc(dhcp.clients[0], hook.path);
    await eventMatching(
      hook.events,
      /^bound ip=10\.61\.0\.42 .*hostname=node-a$/,
      "udhcpc bound as reserved",
    );

    await page.locator("tr[data-reservation='10.61.0.42']").getByRole("button", { name: "Edit" }).click();
    await form.locator("input[name='reservation.ip']").fill("10.61.0.43");
    await form.getByRole("button", { name: "Save reservation" }).click();
    await page.locator("tr[data-reservation='10.61.0.43']").waitFor();
    const moved = (await dhcp.api("GetConfig")) as { config: { subnets: { reservations: unknown[] }[] } };
    assertEquals(moved.config.subnets[0].reservations, [{
      mac: "02:00:00:00:61:00",
      ip: "10.61.0.43",
      hostname: "node-a",
    }]);

    await page.getByRole("button", { name: "Delete subnet" }).click();
    await page.getByRole("button", { name: "Delete lab" }).click();
    await page.waitForURL(/#\/necon$/);
    await page.getByText("No subnets configured").waitFor();
    assertEquals(((await dhcp.api("GetConfig")) as { config: Config }).config.subnets, undefined);
  },
});
