// The k3sdeployer on real hosts: Debian booted with systemd-nspawn in the test's namespaces (real sshd,
// real systemd), the gloeth mesh put on them first by the gloethdeployer, then k3s over the mesh with
// the k3s STAND-IN (tests/deploy/support/k3s_standin.sh, not k3s, which cannot be obtained here) as the
// air-gap binary: it records the argv, environment, config and token each node's unit started it with.
// One lab serves every step, in order: a plan that touches nothing, two servers (the first initialising
// the cluster, the second joining) and an agent, a second run that changes nothing, an upgrade that
// replaces the binary and keeps the token, and the agent removed.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { deployGloeth } from "../../core/deploy/gloeth/deploy.ts";
import { parseGloethInventory } from "../../core/deploy/gloeth/inventory.ts";
import { readGloethRelease } from "../../core/deploy/gloeth/release.ts";
import { buildGloethRelease } from "../../core/deploy/gloeth/testing.ts";
import { deployK3s, type K3sDeployResult } from "../../core/deploy/k3s/deploy.ts";
import { describeK3sPlan } from "../../core/deploy/k3s/describe.ts";
import { type K3sInventory, parseK3sInventory } from "../../core/deploy/k3s/inventory.ts";
import { KnownHosts } from "../../core/deploy/ssh/known_hosts.ts";
import { HostLab, type LabHost } from "../../core/deploy/testing/host_lab.ts";
import type { NspawnHost } from "../../core/deploy/testing/nspawn_host.ts";
import { rootTest, waitFor } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch, assertNotEquals, assertStrictEquals } from "../support/assert.ts";
import {
  K3S_STANDIN,
  STANDIN_KUBECTL_LOG,
  type StandinRecord,
  standinRecordPath,
  standinWithVersion,
} from "./support/k3s_standin.ts";

type Machine = LabHost & { machine: NspawnHost };

const OVERLAY: Record<string, string> = { ka: "10.200.0.1", kb: "10.200.0.2", kc: "10.200.0.3" };
const TOKEN_PATH = "/etc/rancher/k3s/cluster-token";
const CONFIG_PATH = "/etc/rancher/k3s/config.yaml";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Each host's steps as "step: changed|unchanged (detail)", for assertions and failure messages. */
function stepsOf(result: K3sDeployResult): Record<string, string[]> {
  return Object.fromEntries(result.hosts.map((outcome) => [
    outcome.host,
    outcome.ok
      ? outcome.steps.map((step) =>
        `${step.step}: ${step.changed ? "changed" : "unchanged"} (${step.detail})`
      )
      : [`failed: ${outcome.error?.message}`, ...outcome.log.slice(-15)],
  ]));
}

function changedSteps(result: K3sDeployResult): string[] {
  return Object.entries(stepsOf(result)).flatMap(([host, steps]) =>
    steps.filter((step) => !step.includes(": unchanged (")).map((step) => `${host}: ${step}`)
  );
}

/** What each node runs: config.yaml's options as flags, after the unit's subcommand. */
function expectedInvocation(name: string): string[] {
  const role = name === "kc" ? "agent" : "server";
  return [
    role,
    ...(name === "ka" ? ["--cluster-init"] : ["--server", "https://10.200.0.1:6443"]),
    "--token-file",
    TOKEN_PATH,
    "--node-name",
    name,
    "--node-ip",
    OVERLAY[name],
    "--flannel-iface",
    "gloeth0",
    ...(role === "server"
      ? ["--advertise-address", OVERLAY[name], "--disable", "traefik"]
      : ["--node-label", "zone=lab"]),
  ];
}

function expectedConfig(name: string): string {
  const role = name === "kc" ? "agent" : "server";
  return [
    `# k3s ${role} ${name} of cluster lab, written by k3sdeployer: changes here are undone`,
    "# by its next run. The cluster token is in the token-file, never here.",
    ...(name === "ka" ? ["cluster-init: true"] : [`server: "https://10.200.0.1:6443"`]),
    `token-file: "${TOKEN_PATH}"`,
    `node-name: "${name}"`,
    `node-ip: "${OVERLAY[name]}"`,
    `flannel-iface: "gloeth0"`,
    ...(role === "server"
      ? [`advertise-address: "${OVERLAY[name]}"`, `disable: "traefik"`]
      : [`node-label: "zone=lab"`]),
  ].join("\n");
}

rootTest({
  name:
    "k3sdeployer on real hosts over the gloeth mesh: plan, HA servers and an agent, rerun, upgrade, removal",
  tools: ["systemd-nspawn", "debootstrap", "nsenter", "socat", "ssh-keygen", "tar"],
  fn: async (t) => {
    const started = performance.now();
    const work = await Deno.makeTempDir({ prefix: "ctpf-k3sdeploy-" });
    try {
      const building = buildGloethRelease(work, "x86_64");
      await using lab = await HostLab.start();
      const [ka, kb, kc] = await Promise.all([lab.boot("ka"), lab.boot("kb"), lab.boot("kc")]) as Machine[];
      const labMs = performance.now() - started;
      const built = await building;
      const knownHosts = new KnownHosts(join(work, "known_hosts"));
      const ssh = {
        user: "root",
        identityFiles: [lab.identityFile],
        agent: false,
        proxyCommand: lab.proxyCommand,
        connectTimeoutMs: 5_000,
      };
      const gloethStarted = performance.now();
      const mesh = await deployGloeth(
        parseGloethInventory({
          stateDir: join(work, "gloeth-state"),
          overlayNetwork: "10.200.0.0/24",
          ssh,
          hosts: [ka, kb, kc].map((host) => ({
            name: host.name,
            ssh: { address: host.address },
            overlayAddress: OVERLAY[host.name],
          })),
        }),
        {
          knownHosts,
          release: await readGloethRelease(built.dir),
          gloeth: built.gloeth,
          meshTimeoutSeconds: 40,
        },
      );
      assert(mesh.ok, JSON.stringify(mesh.hosts.map((outcome) => [outcome.host, outcome.error?.message])));
      console.log(
        `lab up in ${seconds(labMs)}; gloeth built in ${seconds(built.buildMs)}, mesh deployed in ${
          seconds(performance.now() - gloethStarted)
        }`,
      );

      const controller = join(work, "k3s-controller");
      await Deno.mkdir(controller);
      const tokenFile = join(controller, "lab.token");
      const kubeconfigPath = join(controller, "kubeconfig-lab.yaml");
      const images = join(controller, "k3s-airgap-images-amd64.tar.zst");
      await Deno.writeTextFile(images, "stand-in image archive for amd64");
      const logLines: string[] = [];
      const inventory = (
        hosts: Machine[],
        release = { version: "v1.31.4+k3s1", binary: K3S_STANDIN },
      ): K3sInventory =>
        parseK3sInventory({
          cluster: "lab",
          ssh,
          servers: hosts.filter((host) => host !== kc).map((host) => ({
            name: host.name,
            overlayAddress: OVERLAY[host.name],
            arch: "x86_64",
            ssh: { address: host.address },
          })),
          agents: hosts.filter((host) => host === kc).map((host) => ({
            name: host.name,
            overlayAddress: OVERLAY[host.name],
            arch: "x86_64",
            ssh: { address: host.address },
          })),
          tokenFile,
          serverArgs: ["--disable=traefik"],
          agentArgs: ["--node-label=zone=lab"],
          version: release.version,
          airgap: { x86_64: { binary: release.binary, images } },
        });
      const deploy = async (
        what: string,
        next: K3sInventory,
        options: { plan?: boolean; previous?: K3sInventory } = {},
      ) => {
        const runStarted = performance.now();
        const result = await deployK3s(next, {
          knownHosts,
          kubeconfigPath,
          ...options,
          onLog: (host, line) => logLines.push(`${host} ${line}`),
        });
        console.log(
          `${what}: ${seconds(performance.now() - runStarted)} (${
            result.hosts.map((outcome) => `${outcome.host} ${seconds(outcome.durationMs)}`).join(", ")
          })`,
        );
        return result;
      };
      const roleOf = (host: Machine) => host === kc ? "agent" : "server";
      const unitOf = (host: Machine) => host === kc ? "k3s-agent.service" : "k3s.service";
      const show = (host: Machine, property: string) =>
        host.machine.exec(["systemctl", "show", "-P", property, unitOf(host)]).then((r) => r.stdout.trim());
      // The record of the unit's running process: an agent's unit (Type=exec) is started before the
      // stand-in has written it.
      const recordOf = (host: Machine): Promise<StandinRecord> =>
        waitFor(async () => {
          const read = await host.machine.exec(["cat", standinRecordPath(roleOf(host))], { check: false });
          const record: StandinRecord | undefined = read.success ? JSON.parse(read.stdout) : undefined;
          return record && String(record.pid) === await show(host, "MainPID") ? record : undefined;
        }, {
          timeoutMs: 15_000,
          intervalMs: 200,
          what: `${host.name}'s stand-in record of its running unit`,
        });
      const exists = (host: Machine, path: string) =>
        host.machine.exec(["test", "-e", path], { check: false }).then((r) => r.success);

      await t.step("plan: says what would happen and changes nothing, here or there", async () => {
        const result = await deploy("plan", inventory([ka, kb, kc]), { plan: true });
        assert(result.ok && result.changed, JSON.stringify(stepsOf(result), null, 1));
        assertEquals(result.plan.stages, [["ka"], ["kb"], ["kc"]]);
        const text = describeK3sPlan(result.plan).join("\n");
        assertMatch(text, /^ {2}runs \/usr\/local\/bin\/k3s agent --server https:\/\/10\.200\.0\.1:6443 /m);
        assertEquals(result.controller.map((step) => `${step.step}: ${step.detail}`), [
          `token ${tokenFile}: would be made (0600)`,
          `kubeconfig ${kubeconfigPath}: would fetch from ka, for https://10.200.0.1:6443`,
        ]);
        assertEquals(stepsOf(result).kc.slice(0, 4), [
          "file /usr/local/bin/k3s: changed (absent)",
          "file /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst: changed (absent)",
          `file ${TOKEN_PATH}: changed (a new cluster token, made on the controller first)`,
          `file ${CONFIG_PATH}: changed (absent)`,
        ]);
        for (const path of [tokenFile, kubeconfigPath]) {
          assertStrictEquals(await Deno.stat(path).then(() => true, () => false), false, path);
        }
        for (const host of [ka, kb, kc]) {
          for (const path of ["/usr/local/bin/k3s", "/etc/rancher", `/etc/systemd/system/${unitOf(host)}`]) {
            assertStrictEquals(await exists(host, path), false, `${host.name}:${path}`);
          }
        }
      });

      let token = "";
      let pids: string[] = [];
      const tokenFree = async () => {
        const inLogs = logLines.filter((line) => line.includes(token));
        assertEquals(inLogs, [], "the token is in a log line");
        for (const host of [ka, kb, kc]) {
          const journal = await host.machine.exec(["journalctl", "--no-pager", "-o", "cat"], {
            check: false,
          });
          assert(!journal.stdout.includes(token), `the token is in ${host.name}'s journal`);
        }
      };

      await t.step(
        "first run: ka initialises the cluster, kb joins it, then kc: the exact invocations over the mesh",
        async () => {
          const result = await deploy("first run: two servers and an agent", inventory([ka, kb, kc]));
          assert(result.ok, JSON.stringify(stepsOf(result), null, 1));
          token = (await Deno.readTextFile(tokenFile)).trim();
          assertMatch(token, /^[0-9a-f]{64}$/);
          assertEquals((await Deno.stat(tokenFile)).mode! & 0o777, 0o600);
          assertEquals(result.controller.map((step) => `${step.step}: ${step.changed} ${step.detail}`), [
            `token ${tokenFile}: true made (0600)`,
            `kubeconfig ${kubeconfigPath}: true from ka, for https://10.200.0.1:6443`,
          ]);
          assertEquals(stepsOf(result).kb.filter((step) => step.startsWith("systemctl")), [
            "systemctl daemon-reload: changed (ran)",
            "systemctl enable k3s.service: changed (check failed: ran)",
            "systemctl restart k3s.service (changed: /usr/local/bin/k3s, " +
            "/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst, /etc/rancher/k3s/cluster-token, " +
            "/etc/rancher/k3s/config.yaml, /etc/systemd/system/k3s.service): changed (ran)",
          ]);
          for (const host of [ka, kb, kc]) {
            const record = await recordOf(host);
            assertEquals(record.argv, [roleOf(host)], `${host.name}: the unit passes no option`);
            assertEquals(record.effectiveArgs, expectedInvocation(host.name), `${host.name}: invocation`);
            assertEquals(record.config, expectedConfig(host.name), `${host.name}: config.yaml`);
            assertEquals(record.env, {}, `${host.name}: no K3S_ variables`);
            assertEquals(record.server, host === ka ? null : "https://10.200.0.1:6443");
            assertEquals(
              [record.tokenFile, record.tokenFileMode, record.tokenSource, record.tokenSha256, record.error],
              [TOKEN_PATH, "600", "config", sha256(token), null],
              `${host.name}: the token`,
            );
            assertEquals(record.version, "v1.31.4+k3s1");
            assertEquals(String(record.pid), await show(host, "MainPID"), `${host.name}: the unit's process`);
            assertEquals(await show(host, "UnitFileState"), "enabled");
            assertEquals(
              (await host.machine.exec(["stat", "-c", "%a %U", TOKEN_PATH, CONFIG_PATH])).stdout,
              "600 root\n600 root\n",
            );
            assertEquals((await host.machine.exec(["cat", TOKEN_PATH])).stdout.trim(), token);
            // Its node-ip is its own gloeth address, and the first server is reached over gloeth0.
            assertMatch(
              (await host.machine.exec(["ip", "-4", "-o", "addr", "show", "dev", "gloeth0"])).stdout,
              new RegExp(` inet ${OVERLAY[host.name].replaceAll(".", "\\.")}/24 `),
            );
            if (host !== ka) {
              assertMatch(
                (await host.machine.exec(["ip", "-o", "route", "get", OVERLAY.ka])).stdout,
                /^10\.200\.0\.1 dev gloeth0 /,
              );
            }
            // The token is nowhere but its file: not in the unit, config.yaml or the stand-in's records.
            const found = await host.machine.exec(
              ["grep", "-rlF", token, "/etc/systemd", "/etc/rancher", "/var/lib/k3s-standin"],
              { check: false },
            );
            assertEquals(found.stdout.trim(), TOKEN_PATH, `${host.name}: copies of the token`);
          }
          // The stages in order: each unit came up after the one before it was running.
          const startedAt = await Promise.all(
            [ka, kb, kc].map((host) => show(host, "ExecMainStartTimestampMonotonic").then(Number)),
          );
          assert(startedAt[0] < startedAt[1] && startedAt[1] < startedAt[2], `start order ${startedAt}`);
          const kubeconfig = await Deno.readTextFile(kubeconfigPath);
          assertEquals((await Deno.stat(kubeconfigPath)).mode! & 0o777, 0o600);
          assertMatch(kubeconfig, /\n {4}server: https:\/\/10\.200\.0\.1:6443\n/);
          assertMatch(kubeconfig, /\ncurrent-context: lab\n/);
          assert(!kubeconfig.includes("127.0.0.1"));
          await tokenFree();
          pids = await Promise.all([ka, kb, kc].map((host) => show(host, "MainPID")));
        },
      );

      await t.step("second run: nothing changed, nothing restarted", async () => {
        const result = await deploy("second run", inventory([ka, kb, kc]));
        assert(result.ok, JSON.stringify(stepsOf(result), null, 1));
        assertEquals(changedSteps(result), []);
        assertEquals(result.controller.filter((step) => step.changed), []);
        assertStrictEquals(result.changed, false);
        assertEquals(await Promise.all([ka, kb, kc].map((host) => show(host, "MainPID"))), pids);
      });

      await t.step(
        "upgrade: the new binary replaces the old, each node restarts once, the token stays",
        async () => {
          const upgraded = join(controller, "k3s-v1.32.1");
          await Deno.writeTextFile(upgraded, await standinWithVersion("v1.32.1+k3s1"), { mode: 0o755 });
          const result = await deploy(
            "upgrade to v1.32.1+k3s1",
            inventory([ka, kb, kc], { version: "v1.32.1+k3s1", binary: upgraded }),
          );
          assert(result.ok, JSON.stringify(stepsOf(result), null, 1));
          assertEquals(
            changedSteps(result),
            [ka, kb, kc].flatMap((host) => [
              `${host.name}: file /usr/local/bin/k3s: changed (content differs)`,
              `${host.name}: systemctl restart ${unitOf(host)} (changed: /usr/local/bin/k3s): changed (ran)`,
            ]),
          );
          assertEquals((await Deno.readTextFile(tokenFile)).trim(), token);
          const after = await Promise.all([ka, kb, kc].map((host) => show(host, "MainPID")));
          for (const [index, host] of [ka, kb, kc].entries()) {
            assertNotEquals(after[index], pids[index], `${host.name} restarted`);
            const record = await recordOf(host);
            assertEquals([record.version, String(record.pid)], ["v1.32.1+k3s1", after[index]]);
            assertEquals(record.tokenSha256, sha256(token), `${host.name}: the same token`);
            assertEquals(record.effectiveArgs, expectedInvocation(host.name));
            assertMatch(
              (await host.machine.exec(["/usr/local/bin/k3s", "--version"])).stdout,
              /^k3s version v1\.32\.1\+k3s1 /,
            );
          }
          pids = after;
          await tokenFree();
        },
      );

      await t.step("removal: the agent left the inventory: uninstalled, and deleted through ka", async () => {
        const previous = inventory([ka, kb, kc], {
          version: "v1.32.1+k3s1",
          binary: join(controller, "k3s-v1.32.1"),
        });
        const next = inventory([ka, kb], {
          version: "v1.32.1+k3s1",
          binary: join(controller, "k3s-v1.32.1"),
        });
        const result = await deploy("remove kc", next, { previous });
        assert(result.ok, JSON.stringify(stepsOf(result), null, 1));
        assertEquals(result.hosts.map((outcome) => outcome.host), ["ka", "kb", "kc"]);
        assertEquals(changedSteps(result).filter((step) => !step.startsWith("kc: ")), [
          "ka: delete node kc (left the inventory): changed (ran)",
        ]);
        const kcSteps = stepsOf(result).kc;
        for (
          const step of [
            "systemctl disable --now k3s-agent.service: changed (ran)",
            "remove /etc/systemd/system/k3s-agent.service: changed (check failed: ran)",
            "remove /usr/local/bin/k3s: changed (check failed: ran)",
            "remove /etc/rancher/k3s: changed (check failed: ran)",
            "remove /var/lib/rancher/k3s: changed (check failed: ran)",
          ]
        ) assert(kcSteps.includes(step), `${step} not in\n${kcSteps.join("\n")}`);
        assertEquals(
          (await ka.machine.exec(["cat", STANDIN_KUBECTL_LOG])).stdout.trim().split("\n").map((line) =>
            JSON.parse(line).argv
          ),
          [["kubectl", "delete", "node", "kc", "--ignore-not-found"]],
        );
        assertEquals(await show(kc, "ActiveState"), "inactive");
        for (
          const path of ["/usr/local/bin/k3s", "/etc/rancher/k3s", "/etc/systemd/system/k3s-agent.service"]
        ) {
          assertStrictEquals(await exists(kc, path), false, `kc:${path}`);
        }
        assertEquals(await Promise.all([ka, kb].map((host) => show(host, "MainPID"))), pids.slice(0, 2));
        await tokenFree();
      });
      console.log(`all steps in ${seconds(performance.now() - started)}`);
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
