// DeployService deploying gloeth, then k3s, for real, from the all-in-one binary: two Debian hosts booted
// with systemd-nspawn in the test's namespaces (real sshd, real systemd) trust only the SERVICE's key (from
// GetDeploySettings); the targets are nodin nodes picked by label, a third one where nothing answers. A plan,
// then a run watched live (log lines per host as they happen) where the dead host fails alone and the other
// two form the mesh; a run without it revokes it; k3s over the mesh (with the k3s STAND-IN,
// tests/deploy/support/k3s_standin.sh, as the air-gap binary: k3s cannot be had here), the server picked by
// label; after a restart of the service (and a host key forgotten) the results are still listed and a last
// gloeth run changes nothing, each node keeping its overlay address.
import { join } from "node:path";
import type { Client } from "@connectrpc/connect";
import {
  DeployHostState,
  type Deployment,
  type DeploymentHost,
  DeploymentState,
  DeployService,
} from "../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { buildGloethRelease } from "../../core/deploy/gloeth/testing.ts";
import { HostLab, type LabHost } from "../../core/deploy/testing/host_lab.ts";
import type { NspawnHost } from "../../core/deploy/testing/nspawn_host.ts";
import { K3S_STANDIN, type StandinRecord, standinRecordPath } from "../deploy/support/k3s_standin.ts";
import { rootTest, waitFor } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import type { RunningBinary } from "../support/ctpf_process.ts";
import {
  addNode,
  clientOf,
  type DeployersFlags,
  startCtpfWithDeployers,
} from "./support/ctpf_with_deployers.ts";

type Machine = LabHost & { machine: NspawnHost };

interface Watched {
  final: Deployment;
  /** Log lines per host name that arrived as events before the deployment finished. */
  live: Map<string, string[]>;
  ms: number;
}

async function deployAndWatch(
  client: Client<typeof DeployService>,
  request: Parameters<Client<typeof DeployService>["startDeployment"]>[0],
): Promise<Watched> {
  const started = performance.now();
  const { deployment } = await client.startDeployment(request);
  const live = new Map<string, string[]>();
  let final: Deployment | undefined;
  for await (const message of client.watchDeployment({ id: deployment!.id }, { timeoutMs: 240_000 })) {
    const event = message.event;
    if (event.case === "log") {
      live.set(event.value.hostName, [...live.get(event.value.hostName) ?? [], event.value.line]);
    } else if (event.case === "deployment") final = event.value;
  }
  assert(final, "the watch ended with the finished deployment");
  return { final, live, ms: performance.now() - started };
}

const byName = (deployment: Deployment) =>
  Object.fromEntries(deployment.hosts.map((host) => [host.hostName, host])) as Record<string, DeploymentHost>;

function summary(deployment: Deployment): string {
  return deployment.hosts.map((host) =>
    `${host.hostName}: ${DeployHostState[host.state]} ${host.errorKind} ${host.errorMessage}\n  ` +
    host.steps.map((step) => `${step.step}: ${step.changed ? "changed" : "unchanged"} (${step.detail})`)
      .join("\n  ")
  ).join("\n") + `\n${deployment.error}`;
}

rootTest({
  name: "deployers (ctpf): gloeth then k3s (stand-in) on real hosts picked by label, live logs per host, a " +
    "dead host fails alone, results kept across a restart, a last run changes nothing",
  tools: ["systemd-nspawn", "debootstrap", "nsenter", "socat", "ssh-keygen", "tar"],
  sanitizeResources: false,
  fn: async () => {
    const started = performance.now();
    const work = await Deno.makeTempDir({ prefix: "ctpf-deployers-hosts-" });
    const dataDir = join(work, "data");
    await Deno.mkdir(dataDir, { mode: 0o700 });
    let ctpf: RunningBinary | undefined;
    try {
      const building = buildGloethRelease(work, "x86_64");
      await using lab = await HostLab.start();
      const built = await building;
      // k3s's air-gap folder holds the k3s STAND-IN (tests/deploy/support/k3s_standin.sh), not k3s.
      const airgap = join(work, "k3s-airgap");
      await Deno.mkdir(airgap);
      await Deno.copyFile(K3S_STANDIN, join(airgap, "k3s"));
      await Deno.chmod(join(airgap, "k3s"), 0o755);
      await Deno.writeTextFile(join(airgap, "k3s-airgap-images-amd64.tar.zst"), "stand-in image archive");
      const flags: DeployersFlags = {
        releaseDir: built.dir,
        gloethCommand: built.gloeth,
        proxyCommand: lab.proxyCommand,
        hostTimeoutSeconds: 180,
        k3sAirgapDir: airgap,
      };
      ctpf = await startCtpfWithDeployers(flags, dataDir);
      let admin = clientOf(ctpf, DeployService, ctpf.adminToken);
      // The hosts trust the service's key: the lab's authorized_keys (bound into each host) gets it.
      const settings = await admin.getDeploySettings({});
      assertEquals(settings.kinds.find((kind) => kind.name === "gloeth")?.available, true);
      assertEquals(settings.releaseArchitectures, ["x86_64"]);
      await Deno.writeTextFile(lab.authorizedKeys, `${settings.sshPublicKey}\n`);
      const [ha, hb] = await Promise.all([lab.boot("ha"), lab.boot("hb")]) as [Machine, Machine];
      console.log(`lab and release ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

      const ids = {
        ha: await addNode(ctpf, {
          name: "ha",
          labels: { mesh: "lab", k3s: "server" },
          addresses: [ha.address],
          architecture: "x64",
        }),
        // hb's architecture is not in the inventory: the first run detects it.
        hb: await addNode(ctpf, { name: "hb", labels: { mesh: "lab" }, addresses: [hb.address] }),
        dead: await addNode(ctpf, {
          name: "dead",
          labels: { mesh: "lab", state: "gone" },
          addresses: [lab.unusedAddress],
        }),
      };
      await addNode(ctpf, { name: "other", labels: { mesh: "elsewhere" }, addresses: ["10.88.0.251"] });
      const targets = (await admin.listTargets({ labelSelector: "mesh=lab" })).targets;
      assertEquals(targets.map((target) => target.hostName).sort(), ["dead", "ha", "hb"]);

      // A plan: it looks at each host, says what it would do, and changes nothing.
      const plan = await deployAndWatch(admin, { kind: "gloeth", labelSelector: "mesh=lab", plan: true });
      console.log(`plan: ${(plan.ms / 1000).toFixed(1)} s`);
      const planned = byName(plan.final);
      assertEquals(plan.final.state, DeploymentState.FAILED, summary(plan.final));
      assertEquals([planned.ha.state, planned.hb.state, planned.dead.state], [
        DeployHostState.OK,
        DeployHostState.OK,
        DeployHostState.FAILED,
      ], summary(plan.final));
      assert(planned.ha.changed && plan.final.changed);
      assertMatch(plan.final.planDescription.join("\n"), /^ha: overlay 10\.200\.0\.\d\/24 on gloeth0/m);
      assertEquals(
        (await ha.machine.exec(["test", "-e", "/opt/ctpf"], { check: false })).success,
        false,
        "a plan installs nothing",
      );
      const overlay = { ha: planned.ha.overlayAddress, hb: planned.hb.overlayAddress };
      assertEquals(
        [overlay.ha, overlay.hb, planned.dead.overlayAddress].sort(),
        ["10.200.0.1", "10.200.0.2", "10.200.0.3"],
      );

      // The run: ha and hb form the mesh, the dead host fails alone (unreachable); logs stream per host.
      const first = await deployAndWatch(admin, { kind: "gloeth", labelSelector: "mesh=lab" });
      console.log(`first run: ${(first.ms / 1000).toFixed(1)} s`);
      const hosts = byName(first.final);
      assertEquals(first.final.state, DeploymentState.FAILED, summary(first.final));
      assertEquals(
        [hosts.ha.state, hosts.hb.state],
        [DeployHostState.OK, DeployHostState.OK],
        summary(first.final),
      );
      assertEquals([hosts.dead.state, hosts.dead.errorKind], [DeployHostState.FAILED, "unreachable"]);
      assertEquals([hosts.ha.overlayAddress, hosts.hb.overlayAddress], [overlay.ha, overlay.hb]);
      assertEquals(hosts.ha.mesh?.reached, [overlay.hb]);
      assertEquals(hosts.hb.mesh?.reached, [overlay.ha]);
      assertEquals(hosts.ha.architecture, "x86_64");
      assert(
        hosts.hb.steps.some((step) => step.step === "unit gloeth.service" && step.changed),
        summary(first.final),
      );
      // The watch's changes leave the logs out; the stored deployment has them, in the order streamed.
      const stored = byName((await admin.getDeployment({ id: first.final.id })).deployment!);
      for (const name of ["ha", "hb", "dead"]) {
        const lines = first.live.get(name) ?? [];
        assert(lines.length > 0, `${name}'s lines came live`);
        assertEquals(first.final.hosts.find((host) => host.hostName === name)!.log, []);
        assertEquals(lines, stored[name].log.slice(-lines.length), `${name}'s log, as streamed`);
      }
      assert(first.live.get("ha")!.some((line) => /changed: unit gloeth\.service/.test(line)));
      assertEquals(
        (await ha.machine.exec(["systemctl", "is-active", "gloeth.service"])).stdout.trim(),
        "active",
      );
      const ping = await ha.machine.exec(["ping", "-c", "1", "-W", "3", overlay.hb], { check: false });
      assert(ping.success, `ha reaches hb over the overlay: ${ping.stdout}${ping.stderr}`);
      const hbTarget = (await admin.listTargets({ labelSelector: "mesh=lab" })).targets
        .find((target) => target.hostName === "hb");
      assertEquals(hbTarget?.architecture, "x86_64", "the architecture detected on hb");
      const knownHosts = (await admin.getDeploySettings({})).knownHosts.map((entry) => entry.host).sort();
      assertEquals(knownHosts, [ha.address, hb.address].sort());

      // Without the dead host: it is revoked (its unit cannot be stopped: it is gone), the others finish.
      const second = await deployAndWatch(admin, { kind: "gloeth", nodeIds: [ids.ha, ids.hb] });
      console.log(`second run (dead host revoked): ${(second.ms / 1000).toFixed(1)} s`);
      assertEquals(second.final.state, DeploymentState.SUCCEEDED, summary(second.final));
      const revoked = byName(second.final).dead;
      assert(revoked?.removed && revoked.nodeId === "", summary(second.final));
      assertEquals([revoked.state, revoked.steps.at(-1)?.step], [DeployHostState.OK, "stop gloeth.service"]);
      assertMatch(revoked.steps.at(-1)!.detail, /^host unreachable, revoked all the same/);
      assert(second.final.controllerSteps.some((step) => step.step === "revoke dead"));

      // k3s over the mesh (the stand-in as its binary): ha, picked by label, initialises the cluster on
      // its overlay address; hb joins it as an agent.
      const cluster = await deployAndWatch(admin, {
        kind: "k3s",
        labelSelector: "mesh=lab,state!=gone",
        k3s: { serverSelector: "k3s=server", cluster: "lab" },
      });
      console.log(`k3s run: ${(cluster.ms / 1000).toFixed(1)} s`);
      assertEquals(cluster.final.state, DeploymentState.SUCCEEDED, summary(cluster.final));
      assert(
        cluster.live.get("hb")?.some((line) => line.includes("k3s-agent.service")),
        "hb's lines came live",
      );
      const recordOf = (host: Machine, role: "server" | "agent") =>
        waitFor(async () => {
          const read = await host.machine.exec(["cat", standinRecordPath(role)], { check: false });
          return read.success ? JSON.parse(read.stdout) as StandinRecord : undefined;
        }, { timeoutMs: 15_000, intervalMs: 200, what: `${host.name}'s stand-in record` });
      const server = await recordOf(ha, "server");
      const agent = await recordOf(hb, "agent");
      assertEquals(
        server.effectiveArgs.slice(0, 2),
        ["server", "--cluster-init"],
        server.effectiveArgs.join(" "),
      );
      assert(server.effectiveArgs.join(" ").includes(`--node-ip ${overlay.ha} --flannel-iface gloeth0`));
      assertEquals(agent.effectiveArgs.slice(0, 3), ["agent", "--server", `https://${overlay.ha}:6443`]);
      assert(agent.effectiveArgs.join(" ").includes(`--node-ip ${overlay.hb}`));
      assertEquals(
        (await Deno.stat(join(dataDir, "deployers/k3s/lab/token"))).mode! & 0o777,
        0o600,
        "the cluster token stays in the service's data dir, 0600",
      );
      const token = (await Deno.readTextFile(join(dataDir, "deployers/k3s/lab/token"))).trim();
      const clusterLog = JSON.stringify(
        (await admin.getDeployment({ id: cluster.final.id })).deployment!.hosts
          .map((host) => host.log),
      );
      assert(!clusterLog.includes(token), "the token is in no host's log");

      // A host really re-installed would need its key forgotten; here the key is the same one again.
      assertEquals((await admin.forgetHostKey({ host: ha.address })).removed, 1);

      // A restart: the deployments are still there with their results, and a run changes nothing.
      await ctpf[Symbol.asyncDispose]();
      ctpf = await startCtpfWithDeployers(flags, dataDir);
      admin = clientOf(ctpf, DeployService, ctpf.adminToken);
      const listed = (await admin.listDeployments({})).deployments;
      assertEquals(listed.map((deployment) => [deployment.id, deployment.state]), [
        [cluster.final.id, DeploymentState.SUCCEEDED],
        [second.final.id, DeploymentState.SUCCEEDED],
        [first.final.id, DeploymentState.FAILED],
        [plan.final.id, DeploymentState.FAILED],
      ]);
      assertEquals(byName(listed[2]).dead.errorKind, "unreachable");
      assertEquals(
        (await admin.getDeployment({ id: first.final.id })).deployment!.hosts.map((host) =>
          host.log.length > 0
        ),
        [true, true, true],
      );
      const third = await deployAndWatch(admin, { kind: "gloeth", labelSelector: "mesh=lab,state!=gone" });
      console.log(`third run (after a restart): ${(third.ms / 1000).toFixed(1)} s`);
      assertEquals(third.final.state, DeploymentState.SUCCEEDED, summary(third.final));
      assertEquals(third.final.changed, false, summary(third.final));
      assertEquals(
        third.final.hosts.map((host) => [host.hostName, host.overlayAddress, host.changed]),
        [["ha", overlay.ha, false], ["hb", overlay.hb, false]],
      );
      assertEquals(
        (await admin.getDeploySettings({})).knownHosts.map((entry) => entry.host).sort(),
        [ha.address, hb.address].sort(),
        "ha's key recorded again",
      );
      assert(!ctpf.output().includes(ctpf.adminToken), "the token is never logged");
      assert(!ctpf.output().includes("PRIVATE KEY"), "the key is never logged");
      console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await ctpf?.[Symbol.asyncDispose]();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
