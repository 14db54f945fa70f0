// The gloethdeployer on real hosts: Debian booted with systemd-nspawn in the test's namespaces (real
// sshd, real systemd), the release archive built once by the release script, gloeth run for real. One
// lab serves every step, in order: a plan, three nodes forming a mesh (ping and iperf3 across it), a
// second run that changes nothing, a fourth host joining, a host removed and revoked (and then unable to
// link), and bad hosts failing alone while the others finish.
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStrictEquals } from "../../testing/assert.ts";
import { rootTest, run, waitFor } from "../../testing/harness/mod.ts";
import { HostLab, type LabHost } from "../testing/host_lab.ts";
import type { NspawnHost } from "../testing/nspawn_host.ts";
import { KnownHosts } from "../ssh/known_hosts.ts";
import { deployGloeth, type GloethDeployResult } from "./deploy.ts";
import { describeGloethPlan } from "./describe.ts";
import { parseGloethInventory } from "./inventory.ts";
import { readGloethRelease } from "./release.ts";
import { buildGloethRelease } from "./testing.ts";

type Machine = LabHost & { machine: NspawnHost };

const OVERLAY: Record<string, string> = {
  ga: "10.200.0.1",
  gb: "10.200.0.2",
  gc: "10.200.0.3",
  gd: "10.200.0.4",
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Each host's steps as "step: changed|unchanged (detail)", for assertions and failure messages. */
function stepsOf(result: GloethDeployResult): Record<string, string[]> {
  return Object.fromEntries(result.hosts.map((outcome) => [
    outcome.host,
    outcome.ok
      ? outcome.steps.map((step) =>
        `${step.step}: ${step.changed ? "changed" : "unchanged"} (${step.detail})`
      )
      : [`failed: ${outcome.error?.message}`],
  ]));
}

function assertMeshFormed(result: GloethDeployResult, names: string[]): void {
  const text = JSON.stringify(stepsOf(result), null, 1);
  assert(result.hosts.filter((outcome) => names.includes(outcome.host)).every((outcome) => outcome.ok), text);
  assertEquals(result.mesh.map((outcome) => outcome.host).sort(), [...names].sort());
  for (const outcome of result.mesh) {
    assert(outcome.ok, outcome.error?.message);
    const others = names.filter((name) => name !== outcome.host).map((name) => OVERLAY[name]).sort();
    assertEquals([...outcome.value!.reached].sort(), others, `${outcome.host}: ${outcome.log.join("\n")}`);
    assertEquals(outcome.value!.missing, []);
  }
}

rootTest({
  name: "gloethdeployer on real hosts: mesh, second run unchanged, join, revoke, bad hosts",
  tools: ["systemd-nspawn", "debootstrap", "nsenter", "socat", "ssh-keygen", "tar"],
  fn: async (t) => {
    const started = performance.now();
    const work = await Deno.makeTempDir({ prefix: "ctpf-gloethdeploy-" });
    try {
      // The release build (bundle + archive) and the lab's boots overlap.
      const building = buildGloethRelease(work, "x86_64");
      await using lab = await HostLab.start();
      const [ga, gb, gc, gd, plain] = await Promise.all([
        lab.boot("ga"),
        lab.boot("gb"),
        lab.boot("gc"),
        lab.boot("gd"),
        lab.plainSshd("plain"),
      ]) as [Machine, Machine, Machine, Machine, LabHost];
      const labMs = performance.now() - started;
      const built = await building;
      const release = await readGloethRelease(built.dir);
      const archive = release.archives.x86_64!;
      console.log(
        `lab up in ${seconds(labMs)}; release archive ${archive.file} (${
          (archive.size / 2 ** 20).toFixed(1)
        } MiB) ` +
          `built in ${seconds(built.buildMs)} (overlapping the boots)`,
      );

      const stateDir = join(work, "state");
      const knownHosts = new KnownHosts(join(work, "known_hosts"));
      const inventory = (hosts: LabHost[], extra: unknown[] = []) =>
        parseGloethInventory({
          stateDir,
          overlayNetwork: "10.200.0.0/24",
          ssh: {
            user: "root",
            identityFiles: [lab.identityFile],
            agent: false,
            proxyCommand: lab.proxyCommand,
            connectTimeoutMs: 5_000,
          },
          hosts: [
            ...hosts.map((host) => ({
              name: host.name,
              ssh: { address: host.address },
              overlayAddress: OVERLAY[host.name],
              // gd is behind a NAT, say: it dials the others and accepts nothing.
              ...(host.name === "gd" ? { listen: false } : {}),
            })),
            ...extra,
          ],
        });
      const deploy = async (
        what: string,
        hosts: LabHost[],
        options: { plan?: boolean; extra?: unknown[] } = {},
      ) => {
        const runStarted = performance.now();
        const result = await deployGloeth(inventory(hosts, options.extra), {
          knownHosts,
          release,
          gloeth: built.gloeth,
          plan: options.plan,
          meshTimeoutSeconds: 40,
        });
        const each = (outcomes: { host: string; durationMs: number }[]) =>
          outcomes.map((outcome) => `${outcome.host} ${seconds(outcome.durationMs)}`).join(", ");
        console.log(
          `${what}: ${seconds(performance.now() - runStarted)} (hosts: ${each(result.hosts)}; ` +
            `mesh check: ${each(result.mesh) || "none"})`,
        );
        return result;
      };
      const unit = (host: Machine, query: string) =>
        host.machine.exec(["systemctl", query, "gloeth.service"], { check: false }).then((r) =>
          r.stdout.trim()
        );
      const mainPid = (host: Machine) =>
        host.machine.exec(["systemctl", "show", "-P", "MainPID", "gloeth.service"]).then((r) =>
          r.stdout.trim()
        );

      await t.step("plan: says what would happen and changes nothing, here or there", async () => {
        const result = await deploy("plan", [ga, gb, gc], { plan: true });
        assert(result.ok && result.changed, JSON.stringify(stepsOf(result)));
        const text = describeGloethPlan(result.plan).join("\n");
        assertMatch(text, /^ga: overlay 10\.200\.0\.1\/24 on gloeth0, links on 0\.0\.0\.0:655$/m);
        assertMatch(text, /^ {2}peers 10\.88\.0\.\d+:655,10\.88\.0\.\d+:655$/m);
        assertMatch(text, /file \/etc\/ctpf\/gloeth\/node\/node\.key 0600 secret, from the controller's /);
        assertEquals(stepsOf(result).ga.slice(0, 2), [
          `release /opt/ctpf/${archive.folder}: changed (absent: ${archive.file} to upload and unpack)`,
          `link /opt/ctpf/gloeth → ${archive.folder}: changed (check failed: ran)`,
        ]);
        assert(
          stepsOf(result).ga.includes(
            "file /etc/ctpf/gloeth/node/node.key: changed (new node: made by node-init)",
          ),
        );
        assertEquals(result.mesh, []);
        assertStrictEquals(await Deno.stat(stateDir).then(() => true, () => false), false);
        assertStrictEquals(
          (await ga.machine.exec(["test", "-e", "/opt/ctpf"], { check: false })).success,
          false,
        );
      });

      let pidsAfterFirstRun: string[] = [];
      await t.step(
        "three hosts: installed, the mesh forms; the network key stays on the controller",
        async () => {
          const result = await deploy("first run, three hosts", [ga, gb, gc]);
          assertMeshFormed(result, ["ga", "gb", "gc"]);
          assert(result.ok && result.changed);
          assertEquals(result.controller.map((step) => `${step.step}: ${step.detail.replace(/\d+$/, "N")}`), [
            "network: network-init",
            "node ga: node-init: serial N",
            "node gb: node-init: serial N",
            "node gc: node-init: serial N",
          ]);
          const steps = stepsOf(result).gb;
          assert(
            steps.includes("unit gloeth.service: changed (installed, enabled, started)"),
            steps.join("\n"),
          );
          assert(
            !steps.some((step) => step.startsWith("restart")),
            "a node started fresh is not restarted too",
          );
          for (const host of [ga, gb, gc]) {
            assertEquals([await unit(host, "is-active"), await unit(host, "is-enabled")], [
              "active",
              "enabled",
            ]);
            const listing = await host.machine.exec([
              "sh",
              "-c",
              "stat -c '%a %n' /etc/ctpf/gloeth/node /etc/ctpf/gloeth/node/* /etc/ctpf/gloeth.env; readlink /opt/ctpf/gloeth",
            ]);
            assertEquals(listing.stdout.trim().split("\n"), [
              "700 /etc/ctpf/gloeth/node",
              "600 /etc/ctpf/gloeth/node/ca.pem",
              "600 /etc/ctpf/gloeth/node/network.pub",
              "600 /etc/ctpf/gloeth/node/node.cert",
              "600 /etc/ctpf/gloeth/node/node.key",
              "600 /etc/ctpf/gloeth/node/tls.pem",
              "600 /etc/ctpf/gloeth.env",
              archive.folder,
            ]);
            // No copy of the network key anywhere on the host.
            const networkKey = await Deno.readTextFile(join(stateDir, "network/network.key"));
            const found = await host.machine.exec(
              [
                "grep",
                "-rlF",
                networkKey.trim().split("\n").find((line) => line.length > 20)!,
                "/etc",
                "/opt",
                "/root",
                "/var",
              ],
              { check: false },
            );
            assertEquals(found.stdout, "", `the network key is on ${host.name}`);
          }
          assertMatch(
            (await gc.machine.exec(["cat", "/etc/ctpf/gloeth.env"])).stdout,
            /^CTPF_GLOETH_PEERS=10\.88\.0\.\d+:655,10\.88\.0\.\d+:655\nCTPF_GLOETH_LINK_LISTEN=0\.0\.0\.0:655\nCTPF_GLOETH_TAP=gloeth0\nCTPF_GLOETH_TAP_ADDRESS=10\.200\.0\.3\/24\n$/m,
          );
          pidsAfterFirstRun = await Promise.all([ga, gb, gc].map(mainPid));
        },
      );

      await t.step("ping and iperf3 cross the mesh", async () => {
        // The overlay addresses are reached through gloeth's TAP device, not the lab's bridge.
        const route = await ga.machine.exec(["ip", "-o", "route", "get", OVERLAY.gb]);
        assertMatch(route.stdout, /^10\.200\.0\.2 dev gloeth0 src 10\.200\.0\.1 /);
        const ping = await ga.machine.exec(["ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", OVERLAY.gc], {
          timeoutMs: 20_000,
        });
        assertMatch(ping.stdout, / 0% packet loss/);
        console.log(`ping ga → gc over gloeth: ${/rtt .*/.exec(ping.stdout)?.[0]}`);
        await gb.machine.exec(["iperf3", "-s", "-1", "-D", "-B", OVERLAY.gb]);
        const iperf = await ga.machine.exec(
          ["iperf3", "-c", OVERLAY.gb, "-t", "3", "-J", "--connect-timeout", "5000"],
          { timeoutMs: 30_000 },
        );
        const report = JSON.parse(iperf.stdout);
        const mbits = report.end.sum_received.bits_per_second / 1e6;
        console.log(`iperf3 ga → gb over gloeth: ${mbits.toFixed(1)} Mbit/s`);
        assert(mbits > 1, `only ${mbits} Mbit/s`);
      });

      await t.step("second run: nothing changed, nothing restarted", async () => {
        const result = await deploy("second run", [ga, gb, gc]);
        assertMeshFormed(result, ["ga", "gb", "gc"]);
        const changed = Object.entries(stepsOf(result)).flatMap(([host, steps]) =>
          steps.filter((step) => !step.includes(": unchanged (")).map((step) => `${host}: ${step}`)
        );
        assertEquals(changed, []);
        assertStrictEquals(result.changed, false);
        assertEquals(await Promise.all([ga, gb, gc].map(mainPid)), pidsAfterFirstRun);
      });

      await t.step(
        "adding a host joins it (one that only dials out: the others stay untouched)",
        async () => {
          const pids = await Promise.all([ga, gb, gc].map(mainPid));
          const result = await deploy("join gd", [ga, gb, gc, gd]);
          assertMeshFormed(result, ["ga", "gb", "gc", "gd"]);
          assertEquals(result.controller.filter((step) => step.changed).map((step) => step.step), [
            "node gd",
          ]);
          const steps = stepsOf(result);
          assert(
            steps.gd.includes("unit gloeth.service: changed (installed, enabled, started)"),
            steps.gd.join("\n"),
          );
          assertEquals(["ga", "gb", "gc"].map((host) => result.hosts.find((o) => o.host === host)!.changed), [
            false,
            false,
            false,
          ]);
          assertEquals(await Promise.all([ga, gb, gc].map(mainPid)), pids);
          assertMatch(
            (await gd.machine.exec(["cat", "/etc/ctpf/gloeth.env"])).stdout,
            /\nCTPF_GLOETH_LINK_LISTEN=\n/,
          );
        },
      );

      await t.step("removing a host revokes it: stopped, and started again it cannot link", async () => {
        const record = JSON.parse(await Deno.readTextFile(join(stateDir, "nodes/gc.json")));
        const result = await deploy("remove gc", [ga, gb, gd]);
        assertMeshFormed(result, ["ga", "gb", "gd"]);
        assertEquals(
          result.controller.filter((step) => step.changed).map((step) => `${step.step} ${step.detail}`),
          [
            `revoke gc serial ${record.serial}`,
          ],
        );
        assertEquals(stepsOf(result).gc, [
          "stop and disable gloeth.service (revoked): changed (check failed: ran)",
        ]);
        const steps = stepsOf(result).ga;
        assert(steps.includes("file /etc/ctpf/gloeth/node/revocations: changed (absent)"), steps.join("\n"));
        // Both files are read at start: one restart for the two.
        assertEquals(steps.filter((step) => step.startsWith("restart")), [
          "restart gloeth.service (changed: /etc/ctpf/gloeth/node/revocations, /etc/ctpf/gloeth.env): changed (ran)",
        ]);
        assertEquals([await unit(gc, "is-active"), await unit(gc, "is-enabled")], ["inactive", "disabled"]);
        // The controller keeps no key of it, and a later run has nothing left to do for it.
        assertStrictEquals(await Deno.stat(join(stateDir, "nodes/gc")).then(() => true, () => false), false);

        // Its owner starts it again with its old files: the others refuse it, and nothing crosses.
        await gc.machine.exec(["systemctl", "start", "gloeth.service"], { timeoutMs: 30_000 });
        await waitFor(async () => {
          const shown = await gc.machine.exec(["ip", "-4", "-o", "addr", "show", "dev", "gloeth0"], {
            check: false,
          });
          return shown.stdout.includes(`${OVERLAY.gc}/24`);
        }, { timeoutMs: 20_000, what: "gc's gloeth0 up again" });
        const journals = () =>
          Promise.all(
            [ga, gb, gd, gc].map((host) =>
              host.machine.exec(["journalctl", "--no-pager", "-u", "gloeth.service"], { check: false })
            ),
          ).then((outputs) => outputs.map((output) => output.stdout).join("\n"));
        await waitFor(async () => (await journals()).includes(`serial ${record.serial} is revoked`), {
          timeoutMs: 20_000,
          what: "a node refusing gc's revoked certificate",
        });
        const ping = await gc.machine.exec(["ping", "-n", "-c", "6", "-i", "1", "-W", "1", OVERLAY.ga], {
          check: false,
          timeoutMs: 20_000,
        });
        assertMatch(ping.stdout, / 100% packet loss/);
        assertEquals(await unit(gc, "is-active"), "active");
        await gc.machine.exec(["systemctl", "stop", "gloeth.service"], { timeoutMs: 30_000 });

        const again = await deploy("after the removal, again", [ga, gb, gd]);
        assertStrictEquals(again.changed, false, JSON.stringify(stepsOf(again)));
        assertEquals(again.hosts.map((outcome) => outcome.host), ["ga", "gb", "gd"]);
      });

      await t.step(
        "bad hosts: unreachable, wrong key, changed host key, no systemd, wrong architecture each fail alone",
        async () => {
          const stranger = join(work, "stranger");
          await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger]);
          // gd is reinstalled (or impersonated): its new host key is refused, and gd with it.
          const oldKey = await gd.machine.hostPublicKey();
          await gd.machine.regenerateHostKey();
          const extra = [
            {
              name: "nobody",
              ssh: { address: lab.unusedAddress },
              overlayAddress: "10.200.0.20",
              listen: false,
            },
            {
              name: "stranger",
              ssh: { address: gb.address, identityFiles: [stranger] },
              overlayAddress: "10.200.0.23",
              listen: false,
            },
            { name: "plain", ssh: { address: plain.address }, overlayAddress: "10.200.0.21", listen: false },
            {
              name: "armless",
              ssh: { address: ga.address },
              overlayAddress: "10.200.0.22",
              listen: false,
              arch: "aarch64",
            },
          ];
          const result = await deploy("bad hosts beside good ones", [ga, gb, gd], { extra });
          const byHost = Object.fromEntries(result.hosts.map((outcome) => [outcome.host, outcome]));
          assertEquals(
            result.hosts.map((outcome) => [outcome.host, outcome.ok, outcome.error?.kind]),
            [
              ["ga", true, undefined],
              ["gb", true, undefined],
              ["gd", false, "host-key"],
              ["nobody", false, "unreachable"],
              ["stranger", false, "auth"],
              ["plain", false, "unsupported"],
              ["armless", false, "unsupported"],
            ],
          );
          assertMatch(byHost.nobody.error!.message, /^nobody: /);
          assertMatch(
            byHost.stranger.error!.message,
            /^stranger: root@10\.88\.0\.\d+:22 refused every credential/,
          );
          assertMatch(
            byHost.gd.error!.message,
            new RegExp(`^gd: HOST KEY CHANGED for ${gd.address.replaceAll(".", "\\.")}: `),
          );
          assert(
            !byHost.gd.log.some((line) => line.includes("$ ")),
            "a command ran on a host whose key changed",
          );
          assert(oldKey !== (await gd.machine.hostPublicKey()));
          assertMatch(byHost.plain.error!.message, /^plain: systemd is not running on this host/);
          assertStrictEquals(
            byHost.armless.error!.message,
            "armless: the inventory says aarch64, but the host is x86_64 (uname -m: x86_64)",
          );
          // The good ones are as they were (the bad ones only dial out, so no peer list changed).
          assertEquals(["ga", "gb"].map((host) => byHost[host].changed), [false, false]);
          assertStrictEquals(result.ok, false);
          assertMeshFormed(result, ["ga", "gb"]);
        },
      );
      console.log(`all steps in ${seconds(performance.now() - started)}`);
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
