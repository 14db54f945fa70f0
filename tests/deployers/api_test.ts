// DeployService in the all-in-one binary, over Connect with a real client: targets are nodin's nodes
// picked by label, the service's own SSH key is shown (never its private half), mutations need an admin,
// bad requests name their fields, and a deployment that cannot run (no release here) fails whole, is
// watched to its end, and is still listed after a restart. The real deployment on real hosts is in
// hosts_test.ts.
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService, Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import {
  DeployHostState,
  type Deployment,
  DeploymentState,
  DeployService,
  type WatchDeploymentResponse,
} from "../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { FieldViolationsSchema } from "../../core/api/gen/ctpf/v1/errors_pb.ts";
import { scrapeMetrics } from "../../core/testing/metrics.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import {
  addNode,
  clientOf,
  freeLoopbackPort,
  startCtpfWithDeployers,
  writeUnitOnlyRelease,
} from "./support/ctpf_with_deployers.ts";

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await assertRejects(() => call));
}

async function violations(call: Promise<unknown>): Promise<string[]> {
  const refused = await refusal(call);
  assertEquals(Code[refused.code], Code[Code.InvalidArgument], refused.message);
  return refused.findDetails(FieldViolationsSchema).flatMap((detail) =>
    detail.violations.map((violation) => `${violation.field}: ${violation.description}`)
  );
}

Deno.test("deployers (ctpf): targets from nodin by label, the service's key, auth, field errors, one run at a time, cancel, results kept (or interrupted) across a restart", async () => {
  const work = await Deno.makeTempDir({ prefix: "ctpf-deployers-api-" });
  const dataDir = `${work}/data`;
  await Deno.mkdir(dataDir, { mode: 0o700 });
  const releaseDir = `${work}/no-release`;
  // A host that accepts and never speaks SSH, until the test ends.
  const hold = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const heldConnections: Deno.Conn[] = [];
  const holding = (async () => {
    for await (const connection of hold) heldConnections.push(connection);
  })();
  try {
    let deploymentId = "";
    let interruptedId = "";
    let publicKey: string;
    {
      await using ctpf = await startCtpfWithDeployers({ releaseDir }, dataDir);
      const admin = clientOf(ctpf, DeployService, ctpf.adminToken);
      const viewerToken = (await clientOf(ctpf, AuthService, ctpf.adminToken)
        .createToken({ name: "viewer", role: Role.VIEWER })).secret;
      const viewer = clientOf(ctpf, DeployService, viewerToken);
      const anonymous = clientOf(ctpf, DeployService, "");

      const web1 = await addNode(ctpf, {
        name: "Web_1",
        labels: { role: "web", "ctpf.io/ssh-user": "deploy" },
        addresses: ["10.88.0.10"],
        architecture: "x64",
      });
      const web2 = await addNode(ctpf, {
        name: "web-2",
        labels: { role: "web", rack: "b" },
        addresses: ["10.88.0.11"],
        architecture: "arm64",
      });
      const bare = await addNode(ctpf, { name: "web-3", labels: { role: "web" }, addresses: [] });
      await addNode(ctpf, { name: "db-1", labels: { role: "db" }, addresses: ["10.88.0.20"] });

      // Settings: the public key (an authorized_keys line) and its fingerprint; the private key is 0600.
      const settings = await viewer.getDeploySettings({});
      publicKey = settings.sshPublicKey;
      assertMatch(settings.sshPublicKey, /^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ ctpf-deploy@\S+$/);
      assertMatch(settings.sshPublicKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
      const privateKey = `${dataDir}/deployers/ssh/id_ed25519`;
      assertEquals((await Deno.stat(privateKey)).mode! & 0o777, 0o600);
      assert(!JSON.stringify(settings).includes("PRIVATE KEY"));
      assertEquals([settings.defaultSshUser, settings.sshUserLabel], ["root", "ctpf.io/ssh-user"]);
      assertEquals(settings.defaultOverlayNetwork, "10.200.0.0/24");
      assertEquals(settings.knownHosts, []);
      const kinds = Object.fromEntries(settings.kinds.map((kind) => [kind.name, kind]));
      assertEquals(Object.keys(kinds).sort(), ["gloeth", "k3s"]);
      assertEquals([kinds.gloeth.available, kinds.k3s.available], [false, true]);
      assertMatch(kinds.gloeth.unavailableReason, /no gloeth release in .*no-release/);
      assertMatch(settings.releaseError, /no gloeth release/);

      // Targets by label, from nodin: names as DNS labels, the SSH user from the label, x64 as x86_64.
      const { targets } = await viewer.listTargets({ labelSelector: "role=web" });
      assertEquals(
        targets.map((t) => [t.nodeId, t.hostName, t.address, t.architecture, t.sshUser, t.usable])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
        [
          [web1, "web-1", "10.88.0.10", "x86_64", "deploy", true],
          [web2, "web-2", "10.88.0.11", "aarch64", "root", true],
          [bare, "web-3", "", "", "root", false],
        ],
      );
      assertEquals(targets.find((t) => t.nodeId === bare)!.unusableReason, "no address");
      assertEquals(targets.find((t) => t.nodeId === web2)!.labels, { role: "web", rack: "b" });
      assertEquals((await viewer.listTargets({ labelSelector: "role=web,rack=b" })).targets.length, 1);
      assertEquals((await viewer.listTargets({ labelSelector: "" })).targets.length, 4);
      assertEquals(
        (await refusal(viewer.listTargets({ labelSelector: "!role=web" }))).code,
        Code.InvalidArgument,
      );

      // Mutations: none without a token, none for a viewer.
      const start = { kind: "gloeth", labelSelector: "role=web,rack=b", plan: true };
      assertEquals((await refusal(anonymous.startDeployment(start))).code, Code.Unauthenticated);
      assertEquals((await refusal(viewer.startDeployment(start))).code, Code.PermissionDenied);
      assertEquals(
        (await refusal(anonymous.forgetHostKey({ host: "10.88.0.10" }))).code,
        Code.Unauthenticated,
      );
      assertEquals((await refusal(viewer.forgetHostKey({ host: "10.88.0.10" }))).code, Code.PermissionDenied);
      assertEquals((await refusal(viewer.cancelDeployment({ id: "x" }))).code, Code.PermissionDenied);
      assertEquals((await refusal(anonymous.listDeployments({}))).code, Code.Unauthenticated);
      assertEquals((await viewer.listDeployments({})).deployments, []);

      // Bad requests name their fields; the kind's own trouble comes last.
      assertEquals(await violations(admin.startDeployment({ kind: "ansible", labelSelector: "role=web" })), [
        "kind: one of gloeth, k3s",
      ]);
      assertEquals(await violations(admin.startDeployment({ kind: "gloeth" })), [
        "label_selector: pick targets: a label selector or nodes",
      ]);
      assertEquals(await violations(admin.startDeployment({ kind: "gloeth", labelSelector: "role=web" })), [
        "targets: web-3: no address",
      ]);
      assertEquals(
        await violations(admin.startDeployment({
          kind: "gloeth",
          nodeIds: [web1, web2],
          gloeth: { overlayNetwork: "10.200.0.0/31", dialOnlySelector: "role=web" },
        })),
        [
          "gloeth.overlay_network: an IPv4 network, /30 or larger, e.g. 10.200.0.0/24",
        ],
      );
      assertMatch(
        (await violations(admin.startDeployment({
          kind: "gloeth",
          nodeIds: [web1, web2],
          gloeth: { dialOnlySelector: "role=web" },
        })))[0],
        /^gloeth\.dial_only_selector: at least one host must accept links/,
      );
      assertEquals(
        (await refusal(admin.startDeployment({ kind: "gloeth", nodeIds: ["nope"] }))).code,
        Code.NotFound,
      );
      // k3s runs over the mesh: its targets need gloeth addresses (and a known architecture) first.
      assertEquals(
        await violations(admin.startDeployment({ kind: "k3s", nodeIds: [web1, web2] })),
        [
          "targets: web-1: no address on 10.200.0.0/24: deploy gloeth to it first",
          "targets: web-2: no address on 10.200.0.0/24: deploy gloeth to it first",
        ],
      );
      assertEquals(
        await violations(
          admin.startDeployment({ kind: "k3s", nodeIds: [web1, web2], k3s: { serverSelector: "role=db" } }),
        ),
        ["k3s.server_selector: matches none of the targets"],
      );
      assertMatch(
        (await violations(admin.startDeployment({ kind: "gloeth", labelSelector: "role=web,rack=b" })))[0],
        /^kind: no gloeth release in /,
      );
      assertEquals((await viewer.listDeployments({})).deployments, [], "nothing was queued");
      assertEquals((await admin.forgetHostKey({ host: "10.88.0.10" })).removed, 0);
      assertEquals(
        (await refusal(admin.forgetHostKey({ host: "a b\nc" }))).code,
        Code.InvalidArgument,
      );

      // buf curl, the command-line client, reads the targets as JSON.
      const curl = await new Deno.Command(bufCurlCommand(ctpf, "DeployService", "ListTargets")[0], {
        args: bufCurlCommand(ctpf, "DeployService", "ListTargets", { labelSelector: "role=db" }).slice(1),
        stdout: "piped",
        stderr: "piped",
      }).output();
      const curlText = new TextDecoder().decode(curl.stdout);
      assert(curl.success, new TextDecoder().decode(curl.stderr));
      assertEquals(JSON.parse(curlText).targets.map((t: { hostName: string }) => t.hostName), ["db-1"]);

      // With a release (one archive of the release's shape, enough for a plan), a plan on a host that
      // does not answer: it is watched live to its end, the host failed alone with its reason.
      await writeUnitOnlyRelease(releaseDir);
      assertEquals((await viewer.getDeploySettings({})).releaseArchitectures, ["x86_64"]);
      const closed = freeLoopbackPort();
      const lone = await addNode(ctpf, {
        name: "lo-1",
        labels: { role: "loop", "ctpf.io/ssh-port": String(closed) },
        addresses: ["127.0.0.1"],
      });
      const started =
        (await admin.startDeployment({ kind: "gloeth", labelSelector: "role=loop", plan: true }))
          .deployment!;
      deploymentId = started.id;
      assertEquals([started.state, started.plan, started.createdBy], [
        DeploymentState.QUEUED,
        true,
        "admin",
      ]);
      assertEquals(started.hosts.map((h) => [h.hostName, h.nodeId, h.overlayAddress, h.state]), [
        ["lo-1", lone, "10.200.0.1", DeployHostState.PENDING],
      ]);
      const events: WatchDeploymentResponse["event"][] = [];
      for await (const message of viewer.watchDeployment({ id: started.id }, { timeoutMs: 60_000 })) {
        events.push(message.event);
      }
      const last = events.at(-1)!;
      assertEquals(last.case, "deployment");
      const finished = last.value as Deployment;
      assertEquals(finished.state, DeploymentState.FAILED);
      assertEquals(finished.hosts.map((h) => [h.state, h.errorKind]), [[
        DeployHostState.FAILED,
        "unreachable",
      ]]);
      // Lines come in the first snapshot or as events, depending on when the watch began.
      const first = events[0].value as Deployment;
      const hostLines = [
        ...first.hosts[0].log,
        ...events.flatMap((e) => e.case === "log" && e.value.hostName === "lo-1" ? [e.value.line] : []),
      ];
      assert(hostLines.some((line) => line.includes("failed:")), hostLines.join("\n"));
      // The deployment's own lines, the same way.
      const ownLines = [
        ...first.log,
        ...events.flatMap((e) => e.case === "log" && e.value.hostName === "" ? [e.value.line] : []),
      ];
      assert(
        ownLines.some((line) => line.includes("plan gloeth on 1 hosts: lo-1 (127.0.0.1)")),
        ownLines.join("\n"),
      );
      assert(ownLines.some((line) => line.includes("failed on lo-1 (unreachable)")), ownLines.join("\n"));
      const stored = (await viewer.getDeployment({ id: started.id })).deployment!;
      assertMatch(stored.hosts[0].errorMessage, new RegExp(`127\\.0\\.0\\.1:${closed}|refused`));
      assert(stored.hosts[0].log.length > 0 && stored.log.length > 0);
      assertEquals(
        (await refusal(admin.cancelDeployment({ id: started.id }))).code,
        Code.FailedPrecondition,
      );

      // Deployments run one at a time: while one waits on a host that accepts and never speaks SSH,
      // the next is queued and can be cancelled (it never runs); the running one cannot.
      const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const accepted: Deno.Conn[] = [];
      const accepting = (async () => {
        for await (const connection of silent) accepted.push(connection);
      })();
      const mute = await addNode(ctpf, {
        name: "mute",
        labels: { role: "mute", "ctpf.io/ssh-port": String((silent.addr as Deno.NetAddr).port) },
        addresses: ["127.0.0.1"],
      });
      const running = (await admin.startDeployment({ kind: "gloeth", nodeIds: [mute], plan: true }))
        .deployment!;
      const queued = (await admin.startDeployment({ kind: "gloeth", nodeIds: [mute], plan: true }))
        .deployment!;
      const runningNow = async () => {
        const deployment = (await viewer.getDeployment({ id: running.id })).deployment!;
        return deployment.state === DeploymentState.RUNNING &&
          deployment.hosts[0].state === DeployHostState.RUNNING && accepted.length > 0;
      };
      for (let i = 0; i < 100 && !await runningNow(); i++) await new Promise((r) => setTimeout(r, 100));
      assert(await runningNow(), "the first deployment is on its host");
      assertEquals((await viewer.getDeployment({ id: queued.id })).deployment!.state, DeploymentState.QUEUED);
      assertEquals((await refusal(admin.cancelDeployment({ id: running.id }))).code, Code.FailedPrecondition);
      await admin.cancelDeployment({ id: queued.id });
      const cancelled = (await viewer.getDeployment({ id: queued.id })).deployment!;
      assertEquals(
        [cancelled.state, cancelled.hosts.map((h) => h.state), cancelled.log],
        [DeploymentState.CANCELLED, [DeployHostState.CANCELLED], []],
      );
      // The silent host hangs up: the running deployment ends, its host failed.
      for (const connection of accepted) connection.close();
      silent.close();
      await accepting.catch(() => {});
      let ended: Deployment | undefined;
      for await (const message of viewer.watchDeployment({ id: running.id }, { timeoutMs: 30_000 })) {
        if (message.event.case === "deployment") ended = message.event.value;
      }
      assertEquals([ended!.state, ended!.hosts[0].state], [DeploymentState.FAILED, DeployHostState.FAILED]);
      // Hung up before the handshake: unreachable, as any host whose SSH never answers.
      assertEquals(ended!.hosts[0].errorKind, "unreachable");
      assertEquals((await viewer.listDeployments({})).deployments.map((d) => d.id), [
        queued.id,
        running.id,
        started.id,
      ]);

      const metrics = await scrapeMetrics(ctpf);
      assert(
        metrics.families.has("ctpf_deployers_deployments_total"),
        [...metrics.families.keys()].join(" "),
      );
      // Nothing secret in the binary's log: not the token, not the private key.
      assert(!ctpf.output().includes(ctpf.adminToken));
      assert(!ctpf.output().includes("PRIVATE KEY"));

      // The binary stops while a deployment waits on a silent host: at the next start it is failed,
      // interrupted (what its hosts got is not known).
      const held = await addNode(ctpf, {
        name: "held",
        labels: { role: "held", "ctpf.io/ssh-port": String((hold.addr as Deno.NetAddr).port) },
        addresses: ["127.0.0.1"],
      });
      interruptedId = (await admin.startDeployment({ kind: "gloeth", nodeIds: [held], plan: true }))
        .deployment!.id;
      for (let i = 0; i < 100 && heldConnections.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assertEquals(heldConnections.length, 1, "the deployment is on the silent host");
    }
    // A restart keeps the key (same public key) and the deployments with their results.
    {
      await using ctpf = await startCtpfWithDeployers({ releaseDir }, dataDir);
      const viewer = clientOf(ctpf, DeployService, ctpf.adminToken);
      assertEquals((await viewer.getDeploySettings({})).sshPublicKey, publicKey);
      const listed = (await viewer.listDeployments({})).deployments;
      const interrupted = listed.shift()!;
      assertEquals(
        [interrupted.id, interrupted.state, interrupted.hosts[0].state, interrupted.error],
        [
          interruptedId,
          DeploymentState.FAILED,
          DeployHostState.CANCELLED,
          "interrupted by a restart: run it again (a second run changes only what is left)",
        ],
      );
      assertEquals(listed.map((d) => [d.state, d.hosts[0].state, d.hosts[0].errorKind]), [
        [DeploymentState.CANCELLED, DeployHostState.CANCELLED, ""],
        [DeploymentState.FAILED, DeployHostState.FAILED, "unreachable"],
        [DeploymentState.FAILED, DeployHostState.FAILED, "unreachable"],
      ]);
      assertEquals(listed[2].id, deploymentId);
      assertEquals(listed[2].hosts[0].log, [], "lists leave the logs out");
    }
  } finally {
    for (const connection of heldConnections) connection.close();
    hold.close();
    await holding.catch(() => {});
    await Deno.remove(work, { recursive: true });
  }
});
