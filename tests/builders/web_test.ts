// The builders' page in Chromium against ctpf on a test dockerd: an ipxe build from the form the kind's
// schema makes (wrong values are refused beside their fields and nothing is built), its progress live,
// a queued build cancelled from its page, its artifacts with links that serve the bytes (download, bofied's HTTP and TFTP), a rebuild with a
// changed parameter from the prefilled form, delete; a viewer is offered no button; a phone fits.
import type { Page } from "playwright-core";
import { AuthService, Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import { BofiedService } from "../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { BuildService } from "../../core/api/gen/ctpf/v1/builders_pb.ts";
import { chainScript } from "../../core/builders/kinds/ipxe.ts";
import { rootTest } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch, assertNotEquals } from "../support/assert.ts";
import { haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";
import { startCtpfWithBuilders } from "./support/ctpf_with_builders.ts";

/** The build the page moved to: #/builders/builds/<id>. */
async function shownBuildId(page: Page, other?: string): Promise<string> {
  await page.waitForURL((url) => {
    const id = /#\/builders\/builds\/([^/?]+)$/.exec(url.hash)?.[1];
    return id !== undefined && id !== other;
  });
  return /#\/builders\/builds\/([^/?]+)$/.exec(new URL(page.url()).hash)![1];
}

async function curlTftp(url: string): Promise<Uint8Array> {
  const output = await new Deno.Command("curl", { args: ["-sS", "--max-time", "10", url] }).output();
  assert(output.success, `curl ${url}: ${new TextDecoder().decode(output.stderr)}`);
  return output.stdout;
}

async function assertFitsPhone(page: Page, route: string, ready: () => Promise<unknown>) {
  await page.goto(route);
  await ready();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 390, `${new URL(route).hash} is ${width} px wide at a 390 px screen`);
}

rootTest({
  name:
    "builders web: an ipxe build from the form (refused beside its fields first) runs live, a queued one is cancelled, its links serve the bytes, a rebuild changes the script; viewers get no buttons; 390 px fits",
  tools: ["dockerd", "debootstrap", "unshare", "curl"],
  ignore: !haveChromium && !Deno.env.get("CI"),
  sanitizeResources: false,
  fn: async () => {
    const began = performance.now();
    await using lab = await startCtpfWithBuilders();
    const { ctpf } = lab;
    const api = lab.client(BuildService, ctpf.adminToken);
    const { tftpPort } = await lab.client(BofiedService, ctpf.adminToken).getBootInfo({});
    assert(tftpPort > 0, "TFTP is on");

    await using browser = await launchBrowser();
    const { page } = browser;
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("dialog", (dialog) => void dialog.accept());
    await signInWithToken(page, ctpf.url, ctpf.adminToken);

    // Several-line text is a text area; a secret is typed as a password (the iso kind has both).
    await page.goto(`${ctpf.url}/#/builders/new?kind=iso`);
    const isoForm = page.locator("form[aria-label='Bootable ISO build']");
    await isoForm.waitFor();
    assertEquals(await isoForm.locator("textarea[name='parameters.joinConfig']").count(), 1);
    assertEquals(await isoForm.locator("input[type=password]").count(), 0, "a text area cannot hide");
    await page.goto(`${ctpf.url}/#/builders/new?kind=uboot`);
    const ubootForm = page.locator("form[aria-label$=' build']");
    await ubootForm.locator("[name='parameters.joinUrl']").waitFor();
    assertEquals(await ubootForm.locator("input[type=password][name='parameters.joinUrl']").count(), 1);

    // The form is the kind's schema: its fields, defaults filled.
    await page.goto(`${ctpf.url}/#/builders/new?kind=ipxe`);
    const form = page.locator("form[aria-label='iPXE build']");
    const input = (name: string) => form.locator(`[name='parameters.${name}']`);
    const fieldError = (name: string) => form.locator(`[data-field-name='parameters.${name}'] .field-error`);
    await form.waitFor();
    assertEquals(
      await form.locator("[data-field-name]").evaluateAll((fields) =>
        fields.map((field) => field.getAttribute("data-field-name"))
      ),
      ["name", "mode", "targets", "chainUrl", "sourceUrl"].map((name) => `parameters.${name}`),
    );
    assertEquals(await input("mode").inputValue(), "prebuilt");
    assertEquals(
      await form.locator("input[name='parameters.targets']:checked").evaluateAll((boxes) =>
        boxes.map((box) => (box as HTMLInputElement).value)
      ),
      ["ipxe.efi", "undionly.kpxe"],
    );

    // Wrong values: each reason beside its field, nothing queued.
    const chainUrl = `${ctpf.url}/boot/install.ipxe`;
    await input("name").fill("Lab Box");
    await input("chainUrl").fill("ftp://x");
    await form.getByRole("button", { name: "Build" }).click();
    await fieldError("name").waitFor();
    assertMatch(await fieldError("name").textContent() ?? "", /lower-case letters, digits and dashes/);
    assertMatch(await fieldError("chainUrl").textContent() ?? "", /an http:\/\/ or https:\/\/ URL/);
    assertEquals(await fieldError("targets").count(), 0);
    // Right fields, a target Debian does not ship: the kind's own check names the choice.
    await input("name").fill("lab");
    await input("chainUrl").fill(chainUrl);
    await form.locator("input[name='parameters.targets'][value='arm64/ipxe.efi']").check();
    await form.getByRole("button", { name: "Build" }).click();
    await fieldError("targets").waitFor();
    assertEquals(
      await fieldError("targets").textContent(),
      "arm64/ipxe.efi: Debian ships no prebuilt arm64/ipxe.efi: build it from source",
    );
    assertEquals(await fieldError("name").count(), 0);
    assertEquals((await api.listBuilds({})).builds, [], "nothing was queued");

    await form.locator("input[name='parameters.targets'][value='arm64/ipxe.efi']").uncheck();
    await form.getByRole("button", { name: "Build" }).click();
    const firstId = await shownBuildId(page);

    // Live: the build runs (the base image goes into this fresh daemon first), with Cancel offered, then
    // succeeds with BuildKit's steps and their logs, without the page being reloaded.
    const view = page.locator(`section[data-view=build][data-build='${firstId}']`);
    const state = view.locator("[data-field=state]");
    await view.locator("[data-field=state]", { hasText: "running" }).waitFor();
    await view.getByRole("button", { name: "Cancel" }).waitFor();
    await view.locator("li[data-step^='[base]']").waitFor();

    // Meanwhile, in a second tab: a build queued behind it is cancelled from its page and never runs.
    const queued = (await api.createBuild({ kind: "ipxe", parameters: { name: "queued", chainUrl } })).build!;
    const tab = await browser.context.newPage();
    await tab.addInitScript((token) => sessionStorage.setItem("ctpf.token", token), ctpf.adminToken);
    await tab.goto(`${ctpf.url}/#/builders/builds/${queued.id}`);
    await tab.getByRole("button", { name: "Cancel" }).click();
    await tab.locator("[data-field=state]", { hasText: "cancelled" }).waitFor();
    assertEquals(await tab.getByRole("button", { name: "Cancel" }).count(), 0);
    assertEquals(await tab.locator("tr[data-artifact]").count(), 0);
    await tab.close();
    assertEquals((await api.getBuild({ id: queued.id })).build!.artifacts, []);
    await api.deleteBuild({ id: queued.id });

    await view.locator("[data-field=state]", { hasText: "succeeded" }).waitFor({ timeout: 120_000 });
    console.log(`first build, base image imported: ${((performance.now() - began) / 1000).toFixed(1)} s in`);
    assertEquals(await view.getByRole("button", { name: "Cancel" }).count(), 0);
    const runStep = view.locator("li[data-step*='sha256sum']");
    assertEquals(await runStep.getAttribute("data-status"), "done");
    assertMatch(await runStep.locator("pre.step-log").textContent() ?? "", /\.\/ipxe\.efi/);
    assertMatch(await view.locator("[data-field=cache]").textContent() ?? "", /^\d+ of \d+ steps cached$/);
    assertEquals(await state.textContent(), "succeeded");

    // Artifacts: digest and size, the store's download and bofied's HTTP and TFTP links, all the same bytes.
    const loader = await Deno.readFile("/usr/lib/ipxe/ipxe.efi");
    const row = view.locator("tr[data-artifact='ipxe.efi']");
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", loader)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    assertEquals(await row.locator("[data-field=sha256]").textContent(), digest);
    assertMatch(await row.locator("[data-field=size]").textContent() ?? "", /KiB$/);
    assertEquals(
      await view.locator("tr[data-artifact]").evaluateAll((rows) =>
        rows.map((r) => r.getAttribute("data-artifact"))
      ),
      ["boot.ipxe", "ipxe.efi", "undionly.kpxe"],
    );
    const http = await row.locator("a[data-link=http]").getAttribute("href");
    assertEquals(http, `${ctpf.url}/boot/builds/lab/ipxe.efi`);
    assertEquals(new Uint8Array(await (await fetch(http!)).arrayBuffer()), loader);
    const tftp = await row.locator("a[data-link=tftp]").getAttribute("href");
    assertEquals(tftp, `tftp://127.0.0.1:${tftpPort}/builds/lab/ipxe.efi`);
    assertEquals(await curlTftp(tftp!), loader);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.locator("a[data-link=download]").click(),
    ]);
    assertEquals(download.suggestedFilename(), "ipxe.efi");
    assertEquals(await Deno.readFile((await download.path())!), loader);
    const scriptUrl = await view.locator("tr[data-artifact='boot.ipxe'] a[data-link=http]").getAttribute(
      "href",
    );
    assertEquals(await (await fetch(scriptUrl!)).text(), chainScript(chainUrl));

    // Rebuild with a changed chain URL from the prefilled form: a new build, a new published script.
    await view.getByRole("link", { name: "Rebuild…" }).click();
    const rebuildForm = page.locator("section[data-view=rebuild] form");
    await rebuildForm.waitFor();
    assertEquals(await rebuildForm.locator("[name='parameters.name']").inputValue(), "lab");
    assertEquals(await rebuildForm.locator("[name='parameters.chainUrl']").inputValue(), chainUrl);
    const changedUrl = `${ctpf.url}/boot/other.ipxe`;
    await rebuildForm.locator("[name='parameters.chainUrl']").fill(changedUrl);
    await rebuildForm.getByRole("button", { name: "Rebuild" }).click();
    const secondId = await shownBuildId(page, firstId);
    assertNotEquals(secondId, firstId);
    const second = page.locator(`section[data-view=build][data-build='${secondId}']`);
    await second.locator("[data-field=state]", { hasText: "succeeded" }).waitFor({ timeout: 60_000 });
    assertEquals(
      await second.locator("[data-field=rebuild-of]").getAttribute("href"),
      `#/builders/builds/${firstId}`,
    );
    assertEquals(await second.locator("[data-parameter=chainUrl] dd").textContent(), changedUrl);
    assertEquals(await (await fetch(scriptUrl!)).text(), chainScript(changedUrl));

    // The list: both builds, newest first, with their parameters and cache use.
    await page.goto(`${ctpf.url}/#/builders`);
    const rows = page.locator("table[aria-label=Builds] tbody tr[data-build]");
    await page.locator(`tr[data-build='${secondId}'][data-state=succeeded]`).waitFor();
    assertEquals(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-build"))),
      [secondId, firstId],
    );
    assertMatch(
      await page.locator(`tr[data-build='${secondId}'] [data-field=parameters]`).textContent() ?? "",
      new RegExp(`chainUrl=${changedUrl.replaceAll(".", "\\.")}`),
    );
    assertMatch(
      await page.locator(`tr[data-build='${secondId}'] [data-field=cache]`).textContent() ?? "",
      /cached/,
    );

    // A phone: every view fits 390 px.
    await page.setViewportSize({ width: 390, height: 844 });
    const heading = () => page.getByRole("heading", { level: 2, name: "Builders" }).waitFor();
    await assertFitsPhone(page, `${ctpf.url}/#/builders`, () => rows.nth(1).waitFor());
    await assertFitsPhone(page, `${ctpf.url}/#/builders/new`, () => form.waitFor());
    await assertFitsPhone(
      page,
      `${ctpf.url}/#/builders/artifacts`,
      () => page.locator("tr[data-artifact]").first().waitFor(),
    );
    await assertFitsPhone(
      page,
      `${ctpf.url}/#/builders/builds/${firstId}`,
      () => view.locator("tr[data-artifact]").first().waitFor(),
    );
    await assertFitsPhone(
      page,
      `${ctpf.url}/#/builders/builds/${firstId}/rebuild`,
      () => rebuildForm.waitFor(),
    );
    await heading();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Delete from the page: the build goes, the list follows.
    await page.goto(`${ctpf.url}/#/builders/builds/${secondId}`);
    await second.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(/#\/builders$/);
    await page.locator(`tr[data-build='${secondId}']`).waitFor({ state: "detached" });
    assertEquals((await api.listBuilds({})).builds.map((b) => b.id), [firstId]);
    assertEquals(await (await fetch(scriptUrl!)).text(), chainScript(chainUrl));

    // A viewer sees builds, steps and artifacts (and may download), but is offered nothing to change.
    const viewerToken = (await lab.client(AuthService, ctpf.adminToken)
      .createToken({ name: "viewer", role: Role.VIEWER })).secret;
    await page.getByRole("button", { name: "Sign out" }).click();
    // Signing out ends the session on the server first: sign in again only once the login form shows.
    await page.getByRole("tab", { name: "Token" }).waitFor({ timeout: 30_000 });
    await signInWithToken(page, ctpf.url, viewerToken);
    await page.goto(`${ctpf.url}/#/builders`);
    await page.locator(`tr[data-build='${firstId}']`).waitFor();
    assertEquals(await page.locator("nav.view-tabs a").allTextContents(), ["Builds", "Artifacts"]);
    await page.goto(`${ctpf.url}/#/builders/builds/${firstId}`);
    await view.locator("tr[data-artifact='ipxe.efi'] a[data-link=download]").waitFor();
    assertEquals(await page.locator("main button:not(.sort)").count(), 0, "no buttons for a viewer");
    assertEquals(await view.getByRole("link", { name: "Rebuild…" }).count(), 0);
    const [viewerDownload] = await Promise.all([
      page.waitForEvent("download"),
      view.locator("tr[data-artifact='ipxe.efi'] a[data-link=download]").click(),
    ]);
    assertEquals(await Deno.readFile((await viewerDownload.path())!), loader);
    await page.goto(`${ctpf.url}/#/builders/new`);
    await page.getByText("Starting builds takes an admin").waitFor();
    assertEquals(await page.locator("main form").count(), 0);

    assertEquals(pageErrors, []);
    console.log(`builders web test: ${((performance.now() - began) / 1000).toFixed(1)} s`);
  },
});
