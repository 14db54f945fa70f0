// The deployers' page in Chromium against a real ctpf (a release holding gloeth's unit), nodin's nodes and
// SSH hosts in a test namespace: the service's key is copied from the page into the hosts' authorized_keys;
// targets are picked by label across a lab node and an EC2 machine (the EC2 fake), the preview live as the
// selector is typed, a node without an address greyed with its reason; gloeth's and k3s's wrong options and
// k3s's targets without a gloeth address are refused beside their fields; a gloeth plan started from the page
// shows each host's log as it comes and each host's result (the lab host has no systemd, the cloud machine
// cannot be reached from the lab: each a clear error of its own); the plan is run as planned, and a plan
// queued behind the run is cancelled from its page (a running one is not offered Cancel); the lab host's key
// is recorded and can be forgotten; a viewer sees all of it but cannot plan or run; a phone fits.
import type { Page } from "playwright-core";
import { AuthService, Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import { DeploymentState, DeployService } from "../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { NodinService } from "../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { HostLab } from "../../core/deploy/testing/host_lab.ts";
import { rootTest, run, waitFor } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { haveChromium, launchBrowser, signInWithToken } from "../support/browser.ts";
import {
  addNode,
  clientOf,
  startCtpfWithDeployers,
  writeUnitOnlyRelease,
} from "./support/ctpf_with_deployers.ts";
import { Ec2FakeServer } from "../nodin/fakes/ec2_fake_server.ts";

async function assertFitsPhone(page: Page, route: string, ready: () => Promise<unknown>) {
  await page.goto(route);
  await ready();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 390, `${new URL(route).hash} is ${width} px wide at a 390 px screen`);
}

/** `CTPF_UPDATE_SCREENSHOTS=1` also refreshes the README's picture of this page (as the README's test). */
const updateScreenshots = Deno.env.get("CTPF_UPDATE_SCREENSHOTS") === "1";

const rowNames = (page: Page, table: string) =>
  page.locator(`table[aria-label='${table}'] tbody tr[data-host]`).evaluateAll((rows) =>
    rows.map((row) => row.getAttribute("data-host"))
  );

rootTest({
  name:
    "deployers web: the key copied into authorized_keys; targets by label across a lab node and an EC2 machine; a plan's hosts log live and fail each clearly; host keys; viewers cannot plan or run; 390 px fits",
  tools: ["socat", "nsenter", "ssh-keygen", "unshare"],
  ignore: !haveChromium && !Deno.env.get("CI"),
  sanitizeResources: false,
  fn: async () => {
    const began = performance.now();
    const work = await Deno.makeTempDir({ prefix: "ctpf-deployers-web-" });
    const fake = new Ec2FakeServer({ keys: { AKIDFAKE: "fake-secret" } });
    try {
      await using hosts = await HostLab.start();
      // Enough of a release to plan with: the hosts here are refused before anything is installed.
      await writeUnitOnlyRelease(`${work}/release`);
      const labHost = await hosts.plainSshd("web-lab");
      // The cloud's private network is routed into the lab through a neighbour that is not there (its
      // MAC answers nothing): the machine is listed by EC2 but cannot be reached from the lab, and
      // dialling it takes the proxy's connect timeout: 10 s here (the lab's 5 s, doubled), the time a
      // deployment runs, in which its lines must show and a deployment queued behind it be cancelled.
      await hosts.side.ip("neigh", "add", hosts.unusedAddress, "lladdr", "02:00:00:00:00:fa", "dev", "br0");
      await hosts.side.ip("route", "add", "172.31.0.0/16", "via", hosts.unusedAddress);
      const proxyCommand = hosts.proxyCommand.replace("connect-timeout=5", "connect-timeout=10");
      assert(proxyCommand !== hosts.proxyCommand, "the lab's proxy command names its connect timeout");

      await using ctpf = await startCtpfWithDeployers({ releaseDir: `${work}/release`, proxyCommand });
      const nodin = clientOf(ctpf, NodinService, ctpf.adminToken);
      const deploy = clientOf(ctpf, DeployService, ctpf.adminToken);
      await addNode(ctpf, { name: "web-lab", addresses: [labHost.address], labels: { role: "web" } });
      await addNode(ctpf, { name: "web-spare", addresses: [], labels: { role: "web", rack: "b" } });
      await addNode(ctpf, { name: "db-lab", addresses: ["10.88.0.99"], labels: { role: "db" } });
      fake.seed("web-cloud", "running", { role: "web" });
      await nodin.putCloudAccount({
        account: {
          name: "ec2-lab",
          provider: "aws-ec2",
          settings: { region: "us-east-1", endpoint: fake.url },
          credential: { username: "AKIDFAKE", password: "fake-secret" },
        },
      });
      await waitFor(
        async () => (await nodin.listInventory({})).nodes.some((n) => n.name === "web-cloud"),
        { timeoutMs: 20_000, what: "the EC2 machine listed as a node" },
      );

      await using browser = await launchBrowser();
      const { page } = browser;
      await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: ctpf.url });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      // Questions the page asks (Run, Forget), each answered with `answer`.
      const questions: string[] = [];
      let answer = true;
      page.on("dialog", (dialog) => {
        questions.push(dialog.message());
        void (answer ? dialog.accept() : dialog.dismiss());
      });
      await signInWithToken(page, ctpf.url, ctpf.adminToken);

      // The service's key, copied from the page into the hosts' authorized_keys.
      await page.goto(`${ctpf.url}/#/deployers/ssh`);
      const settings = await deploy.getDeploySettings({});
      const keyLine = page.locator("[data-field=ssh-public-key]");
      await keyLine.waitFor();
      assertEquals(await keyLine.textContent(), settings.sshPublicKey);
      assertMatch(settings.sshPublicKey, /^ssh-ed25519 \S+ /);
      await page.getByRole("button", { name: "Copy" }).click();
      await page.getByRole("status").filter({ hasText: "copied" }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assertEquals(copied, settings.sshPublicKey);
      await Deno.writeTextFile(hosts.authorizedKeys, `${copied}\n`, { append: true });
      assertEquals(await page.locator("table[aria-label='Host keys'] tr[data-known-host]").count(), 0);

      // Targets by label, the preview following the selector as it is typed.
      await page.goto(`${ctpf.url}/#/deployers/new`);
      const form = page.locator("form[aria-label=Deployment]");
      const selector = form.locator("input[name=label_selector]");
      const targets = form.locator("table[aria-label=Targets]");
      const targetRow = (name: string) => targets.locator(`tr[data-host='${name}']`);
      await targetRow("db-lab").waitFor();
      await selector.fill("role=web!");
      await form.locator("[data-field-name=label_selector] .field-error", {
        hasText: '"web!" is not a label value',
      })
        .waitFor();
      await selector.fill("role=web");
      await page.waitForURL(/selector=role%3Dweb$/);
      await targetRow("db-lab").waitFor({ state: "detached" });
      await targetRow("web-cloud").waitFor();
      assertEquals(
        await targets.locator("tbody tr[data-node]").evaluateAll((rows) =>
          rows.map((row) => row.getAttribute("data-host"))
        ),
        ["web-cloud", "web-lab", "web-spare"],
      );
      const cloudNode = (await nodin.listInventory({})).nodes.find((n) => n.name === "web-cloud")!;
      assertEquals(await targetRow("web-cloud").locator("[data-field=provider]").textContent(), "aws-ec2");
      assertEquals(
        await targetRow("web-cloud").locator("[data-field=address]").textContent(),
        cloudNode.addresses[0],
      );
      assertMatch(cloudNode.addresses[0], /^172\.31\./);
      assertEquals(await targetRow("web-lab").locator("[data-field=address]").textContent(), labHost.address);
      assertEquals(await targetRow("web-lab").locator("[data-field=user]").textContent(), "root");
      assertEquals(await targetRow("web-spare").getAttribute("data-usable"), "false");
      assertMatch(
        await targetRow("web-spare").locator("[data-field=usable]").textContent() ?? "",
        /no address/,
      );
      assertEquals(await targetRow("web-spare").locator("input[type=checkbox]").isDisabled(), true);
      assertEquals(await targetRow("web-spare").locator("input[type=checkbox]").isChecked(), false);
      assertEquals(await targetRow("web-lab").locator("input[type=checkbox]").isChecked(), true);
      assertEquals(await targetRow("web-cloud").locator("input[type=checkbox]").isChecked(), true);
      assertEquals(
        await form.locator("[data-field=chosen]").textContent(),
        "2 of 3 matching nodes chosen (1 unusable)",
      );
      assertEquals(await form.locator("[data-kind=gloeth] input").isChecked(), true);
      assertEquals(await form.locator("[data-kind=k3s] input").isDisabled(), false);
      assertMatch(await form.locator("[data-field=release]").textContent() ?? "", /^gloeth \S+ for x86_64$/);
      if (updateScreenshots) {
        // The README's picture of this page: targets by label across the lab and a cloud.
        await page.setViewportSize({ width: 1100, height: 640 });
        await page.screenshot({
          path: new URL("../../docs/screenshots/deployers-targets.png", import.meta.url).pathname,
        });
        await page.setViewportSize({ width: 1280, height: 800 });
      }

      // A wrong option is refused beside its field, and nothing starts.
      const overlay = form.locator("input[name='gloeth.overlay_network']");
      assertEquals(await overlay.getAttribute("placeholder"), settings.defaultOverlayNetwork);
      await overlay.fill("10.200.0.0/31");
      await form.getByRole("button", { name: "Plan" }).click();
      await form.locator("[data-field-name='gloeth.overlay_network'] .field-error").waitFor();
      assertMatch(
        await form.locator("[data-field-name='gloeth.overlay_network'] .field-error").textContent() ?? "",
        /an IPv4 network/,
      );
      await overlay.fill("10.201.0.0/24");

      // k3s: its own options (the overlay network is the same value), each refusal beside its field: a
      // server selector matching no target, then targets gloeth has not been deployed to.
      await form.locator("[data-kind=k3s] input").check();
      await page.waitForURL(/kind=k3s/);
      assertEquals(await form.locator(".field-error").count(), 0, "gloeth's reasons went with its fields");
      assertEquals(await form.locator("input[name='k3s.overlay_network']").inputValue(), "10.201.0.0/24");
      await form.locator("input[name='k3s.server_selector']").fill("rack=z");
      await form.getByRole("button", { name: "Plan" }).click();
      const serversError = form.locator("[data-field-name='k3s.server_selector'] .field-error");
      await serversError.waitFor();
      assertEquals(await serversError.textContent(), "matches none of the targets");
      await form.locator("input[name='k3s.server_selector']").fill("");
      await form.getByRole("button", { name: "Plan" }).click();
      const targetsError = form.locator("[data-field-name=targets] .field-error");
      await targetsError.waitFor();
      assertMatch(
        await targetsError.textContent() ?? "",
        /web-lab: no address on 10\.201\.0\.0\/24: deploy gloeth to it first/,
      );
      assertEquals(await serversError.count(), 0);
      await form.locator("[data-kind=gloeth] input").check();
      await form.locator("input[name='gloeth.overlay_network']").waitFor();
      assertEquals(await form.locator(".field-error").count(), 0);
      // Run asks first (a run removes what it leaves out of the mesh); declined, nothing starts.
      answer = false;
      await form.getByRole("button", { name: "Run", exact: true }).click();
      await waitFor(() => questions.length === 1, { what: "Run's question" });
      assertMatch(questions[0], /^Run gloeth on 2 nodes now\? Nodes it deployed before and not among them/);
      answer = true;
      assertEquals((await deploy.listDeployments({})).deployments, [], "nothing was started");

      // The plan: the page moves to it and follows it live.
      await form.getByRole("button", { name: "Plan" }).click();
      await page.waitForURL(/#\/deployers\/deployments\/[^/?]+/);
      const id = /#\/deployers\/deployments\/([^/?]+)/.exec(new URL(page.url()).hash)![1];
      const view = page.locator(`section[data-view=deployment][data-deployment='${id}']`);
      await view.waitFor();
      assertEquals(
        await view.locator("[data-field=mode]").textContent(),
        "plan: only looks, changes nothing",
      );
      assertEquals(await view.locator("[data-field=targets]").textContent(), "web-cloud, web-lab");
      assertEquals(
        await view.locator("[data-field=options]").textContent(),
        "overlay 10.201.0.0/24, link port 655",
      );
      const hostRow = (name: string) => view.locator(`table[aria-label=Hosts] tr[data-host='${name}']`);
      await hostRow("web-lab").waitFor();
      assertEquals((await rowNames(page, "Hosts")).sort(), ["web-cloud", "web-lab"]);

      // Live: the lab host's log fills while the cloud machine is still being dialled.
      await view.getByRole("tab", { name: /web-lab/ }).click();
      const panel = view.getByRole("tabpanel");
      await panel.locator("pre.host-log", { hasText: labHost.address }).waitFor();
      assertEquals(
        await view.getAttribute("data-state"),
        "running",
        "lines came before the deployment ended",
      );
      assertEquals(await view.getByRole("button", { name: "Cancel" }).count(), 0, "a running one finishes");

      await view.locator("[data-field=state]", { hasText: "failed" }).waitFor({ timeout: 60_000 });
      assertEquals(await hostRow("web-lab").getAttribute("data-state"), "failed");
      assertEquals(await hostRow("web-lab").locator("[data-field=error-kind]").textContent(), "unsupported");
      assertMatch(await hostRow("web-lab").locator("[data-field=problem]").textContent() ?? "", /systemd/);
      assertEquals(await hostRow("web-lab").locator("[data-field=arch]").textContent(), "x86_64");
      assertEquals(await hostRow("web-cloud").getAttribute("data-state"), "failed");
      assertMatch(
        await hostRow("web-cloud").locator("[data-field=error-kind]").textContent() ?? "",
        /^(unreachable|timeout)$/,
      );
      // Each host's tab has its own log: the one it is on says so in the URL.
      await view.getByRole("tab", { name: /web-cloud/ }).click();
      await page.waitForURL(/host=web-cloud/);
      assertEquals(await panel.getAttribute("data-host"), "web-cloud");
      assert(!(await panel.locator("pre.host-log").textContent() ?? "").includes(labHost.address));
      const stored = (await deploy.getDeployment({ id })).deployment!;
      const labLog = stored.hosts.find((h) => h.hostName === "web-lab")!.log;
      await view.getByRole("tab", { name: /web-lab/ }).click();
      assertEquals(await panel.locator("pre.host-log").textContent(), labLog.join("\n"));
      console.log(`plan finished ${((performance.now() - began) / 1000).toFixed(1)} s in`);

      // Run as planned: the plan's targets and options, for real this time; a plan started behind it waits
      // its turn and is cancelled from its page.
      await view.getByRole("button", { name: "Run as planned" }).click();
      await page.waitForURL((url) =>
        /#\/deployers\/deployments\/[^/?]+/.test(url.hash) && !url.hash.includes(id)
      );
      const runId = /#\/deployers\/deployments\/([^/?]+)/.exec(new URL(page.url()).hash)![1];
      const queued = (await deploy.startDeployment({
        kind: "gloeth",
        nodeIds: stored.nodeIds,
        plan: true,
        gloeth: { overlayNetwork: "10.201.0.0/24" },
      })).deployment!;
      assertEquals(queued.state, DeploymentState.QUEUED, "waiting for the run");
      await page.goto(`${ctpf.url}/#/deployers/deployments/${queued.id}`);
      const queuedView = page.locator(`section[data-view=deployment][data-deployment='${queued.id}']`);
      await queuedView.getByRole("button", { name: "Cancel" }).click();
      await queuedView.locator("[data-field=state]", { hasText: "cancelled" }).waitFor();
      assertEquals(await queuedView.getByRole("button", { name: "Cancel" }).count(), 0);
      await page.goto(`${ctpf.url}/#/deployers/deployments/${runId}`);
      const runView = page.locator(`section[data-view=deployment][data-deployment='${runId}']`);
      await runView.locator("[data-field=state]", { hasText: "failed" }).waitFor({ timeout: 60_000 });
      assertEquals(await runView.locator("[data-field=mode]").textContent(), "run");
      assertEquals(
        await runView.locator("[data-field=options]").textContent(),
        "overlay 10.201.0.0/24, link port 655",
      );
      assertEquals(
        await runView.locator("tr[data-host='web-lab'] [data-field=error-kind]").textContent(),
        "unsupported",
      );
      assertEquals(await runView.getByRole("button", { name: "Run as planned" }).count(), 0);

      // The lab host's key was recorded on first contact: the one its sshd has.
      await page.goto(`${ctpf.url}/#/deployers/ssh`);
      const known = page.locator(`tr[data-known-host='${labHost.address}']`);
      await known.waitFor();
      const hostKey = await run(["ssh-keygen", "-l", "-f", `${hosts.dir}/web-lab/ssh_host_ed25519_key.pub`]);
      const fingerprint = hostKey.stdout.split(" ")[1];
      assertMatch(
        await known.locator("[data-field=fingerprints]").textContent() ?? "",
        new RegExp(fingerprint.replaceAll("+", "\\+")),
      );

      // The list: the plan, failed, with its hosts.
      await page.goto(`${ctpf.url}/#/deployers`);
      const listed = page.locator(`tr[data-deployment='${id}']`);
      await listed.waitFor();
      assertEquals(await listed.getAttribute("data-state"), "failed");
      assertEquals(await listed.locator("[data-field=kind]").textContent(), "gloeth plan");
      assertEquals(await listed.locator("[data-field=hosts]").textContent(), "2 failed");
      assertEquals(await listed.locator("[data-field=targets]").textContent(), "web-cloud, web-lab");

      // A phone: every view fits 390 px.
      await page.setViewportSize({ width: 390, height: 844 });
      await assertFitsPhone(page, `${ctpf.url}/#/deployers`, () => listed.waitFor());
      await assertFitsPhone(
        page,
        `${ctpf.url}/#/deployers/new?selector=role%3Dweb`,
        () => targetRow("web-lab").waitFor(),
      );
      await assertFitsPhone(
        page,
        `${ctpf.url}/#/deployers/deployments/${id}`,
        () => hostRow("web-lab").waitFor(),
      );
      await assertFitsPhone(page, `${ctpf.url}/#/deployers/ssh`, () => known.waitFor());
      await page.setViewportSize({ width: 1280, height: 800 });

      // Forgetting the host key (a re-installed host): the row goes.
      await known.getByRole("button", { name: "Forget" }).click();
      await known.waitFor({ state: "detached" });
      assertEquals((await deploy.getDeploySettings({})).knownHosts, []);

      // A viewer sees the targets, the deployment and its logs, but is offered neither Plan nor Run.
      const viewerToken = (await clientOf(ctpf, AuthService, ctpf.adminToken)
        .createToken({ name: "viewer", role: Role.VIEWER })).secret;
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("tab", { name: "Token" }).waitFor({ timeout: 30_000 });
      await signInWithToken(page, ctpf.url, viewerToken);
      await page.goto(`${ctpf.url}/#/deployers/new?selector=role%3Dweb`);
      await targetRow("web-lab").waitFor();
      await page.getByText("Planning and running deployments take an admin").waitFor();
      assertEquals(await targetRow("web-lab").locator("input[type=checkbox]").isDisabled(), true);
      for (const name of ["Plan", "Run"]) {
        assertEquals(await page.getByRole("button", { name, exact: true }).count(), 0, `no ${name} button`);
      }
      await page.goto(`${ctpf.url}/#/deployers/deployments/${id}`);
      await view.locator("[data-field=state]", { hasText: "failed" }).waitFor();
      await panel.locator("pre.host-log").waitFor();
      assertEquals(await view.getByRole("button", { name: "Run as planned" }).count(), 0);
      await page.goto(`${ctpf.url}/#/deployers/ssh`);
      await keyLine.waitFor();
      assertEquals(await page.getByRole("button", { name: "Forget" }).count(), 0);
      // And the API agrees: the viewer's start is refused.
      const refused = await clientOf(ctpf, DeployService, viewerToken)
        .startDeployment({ kind: "gloeth", nodeIds: [cloudNode.id], plan: true })
        .then(() => "started", (e) => String(e));
      assertMatch(refused, /permission|denied/i);

      assertEquals(pageErrors, []);
      console.log(`deployers web test: ${((performance.now() - began) / 1000).toFixed(1)} s`);
    } finally {
      await fake.close();
      await Deno.remove(work, { recursive: true });
    }
  },
});
