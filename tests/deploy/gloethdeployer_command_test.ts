// The gloethdeployer command as a user runs it: the release made by the release script (gloeth and
// gloethdeployer archives, Deno included), the gloethdeployer archive unpacked in the release folder (so
// it finds the gloeth archives beside it and unpacks gloeth for the controller itself), and two Debian
// hosts booted with systemd-nspawn in the test's namespaces. One lab, steps in order: a plan, a run that
// forms the mesh, a second run that changes nothing, a host that cannot be reached (exit 2, the others
// finish) with --json, and an invalid inventory (exit 1, nothing tried).
import { join } from "node:path";
import { VERSION } from "../../core/version.ts";
import { assert, assertEquals, assertMatch } from "../../core/testing/assert.ts";
import { rootTest, run } from "../../core/testing/harness/mod.ts";
import { inventoryStateDir } from "../../core/deploy/cli/paths.ts";
import { HostLab, type LabHost } from "../../core/deploy/testing/host_lab.ts";
import type { NspawnHost } from "../../core/deploy/testing/nspawn_host.ts";
import { archiveFile, inArchive, releaseName } from "../../scripts/release/layout.ts";

type Machine = LabHost & { machine: NspawnHost };

const root = new URL("../../", import.meta.url).pathname;
/** Deno for the archives, fetched once and kept with the test hosts' Debian tree (not in the home folder). */
const releaseCache = join(Deno.env.get("TMPDIR") ?? "/tmp", "ctpf-test-cache", "release");

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The release script for x86_64, gloeth and gloethdeployer only; the deployer unpacked beside the archives. */
async function buildRelease(work: string): Promise<{ dir: string; launcher: string; buildMs: number }> {
  const started = performance.now();
  const dir = join(work, "release");
  await run([
    Deno.execPath(),
    "run",
    "--allow-all",
    join(root, "scripts/release.ts"),
    "--target",
    "x86_64",
    "--out-dir",
    dir,
    "--cache-dir",
    releaseCache,
    "gloeth",
    "gloethdeployer",
  ], { timeoutMs: 600_000 });
  await run(["tar", "-xzf", join(dir, archiveFile("gloethdeployer", VERSION, "x86_64")), "-C", dir]);
  const launcher = join(
    dir,
    releaseName("gloethdeployer", VERSION, "x86_64"),
    inArchive.launcher("gloethdeployer"),
  );
  return { dir, launcher, buildMs: Math.round(performance.now() - started) };
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

rootTest({
  name: "gloethdeployer command on real hosts: plan, mesh, second run unchanged, unreachable host, --json",
  tools: ["systemd-nspawn", "debootstrap", "nsenter", "socat", "ssh-keygen", "tar"],
  fn: async (t) => {
    const started = performance.now();
    const work = await Deno.makeTempDir({ prefix: "ctpf-gloethdeployer-cmd-" });
    try {
      const building = buildRelease(work);
      await using lab = await HostLab.start();
      const [ga, gb] = await Promise.all([lab.boot("ga"), lab.boot("gb")]) as [Machine, Machine];
      const labMs = performance.now() - started;
      const built = await building;
      console.log(`lab up in ${seconds(labMs)}; release built in ${seconds(built.buildMs)} (overlapping)`);

      // The command's own folders, as on a workstation: XDG folders and a home of the test's.
      const home = join(work, "home");
      const env = {
        HOME: home,
        XDG_CONFIG_HOME: join(home, ".config"),
        XDG_DATA_HOME: join(home, ".local", "share"),
        XDG_CACHE_HOME: join(home, ".cache"),
        DENO_DIR: join(work, "deno-dir"),
        NO_COLOR: "1",
      };
      const knownHosts = join(env.XDG_CONFIG_HOME, "ctpf", "known_hosts");
      const inventoryPath = join(work, "mesh.json");
      // The default state folder: mesh-<hash of the inventory's path> (core/deploy/cli/paths_test.ts).
      const stateDir = inventoryStateDir(env, "gloethdeployer", inventoryPath, "mesh");
      // gb is named only by its ssh_config alias: its address comes from the Host block.
      const sshConfig = join(work, "ssh_config");
      await Deno.writeTextFile(sshConfig, `Host gb\n  HostName ${gb.address}\n  User root\n`);
      const writeInventory = (extra: unknown[] = []) =>
        Deno.writeTextFile(
          inventoryPath,
          JSON.stringify(
            {
              overlayNetwork: "10.200.0.0/24",
              ssh: {
                identityFiles: [lab.identityFile],
                agent: false,
                proxyCommand: lab.proxyCommand,
                connectTimeoutMs: 5_000,
              },
              hosts: [
                { name: "ga", ssh: { address: ga.address }, overlayAddress: "10.200.0.1" },
                { name: "gb", overlayAddress: "10.200.0.2" },
                ...extra,
              ],
            },
            null,
            2,
          ),
        );
      const gloethdeployer = async (what: string, ...args: string[]): Promise<Ran> => {
        const runStarted = performance.now();
        const output = await new Deno.Command(built.launcher, {
          args: ["--ssh-config", sshConfig, "--mesh-timeout", "40", ...args, inventoryPath],
          env,
          cwd: work,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
          signal: AbortSignal.timeout(300_000),
        }).output();
        const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
        const ran = {
          code: output.code,
          stdout: decode(output.stdout),
          stderr: decode(output.stderr),
          ms: performance.now() - runStarted,
        };
        console.log(`${what}: exit ${ran.code} in ${seconds(ran.ms)}`);
        return ran;
      };
      const shown = (ran: Ran) => `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;
      const summaryOf = (ran: Ran) =>
        ran.stdout.slice(ran.stdout.lastIndexOf("\nsummary") + 1).trimEnd().split("\n");
      const isActive = (host: Machine) =>
        host.machine.exec(["systemctl", "is-active", "gloeth.service"], { check: false }).then((r) =>
          r.stdout.trim()
        );
      await writeInventory();

      await t.step(
        "--plan: the plan in words, per-host lines, a summary; nothing changed here or there",
        async () => {
          const ran = await gloethdeployer("plan", "--plan");
          assertEquals(ran.code, 0, shown(ran));
          assertEquals(ran.stderr, "", shown(ran));
          assertMatch(
            ran.stdout,
            new RegExp(
              `^gloeth ${VERSION} from ${built.dir} \\(x86_64\\); controller state ${stateDir}$`,
              "m",
            ),
          );
          assertMatch(ran.stdout, /^ {2}ga: overlay 10\.200\.0\.1\/24 on gloeth0, links on 0\.0\.0\.0:655$/m);
          assertMatch(ran.stdout, /^ga \| would change: unit gloeth\.service \(/m);
          assertMatch(
            ran.stdout,
            new RegExp(
              `^gb \\| connect root@${gb.address.replaceAll(".", "\\.")}:22 through proxy command`,
              "m",
            ),
          );
          assertMatch(ran.stdout, /^ {2}network: would change \(network-init\)$/m);
          const summary = summaryOf(ran);
          assertEquals(summary[0], "summary (plan: nothing was changed)");
          assertMatch(
            summary[1],
            /^ {2}ga {2}would change {2}\d+ would change, \d+ unchanged {2}\(\d+\.\d s\)$/,
          );
          assertMatch(summary[2], /^ {2}gb {2}would change {2}/);
          assertEquals(summary[3], "2 hosts: 2 ok (2 would change), 0 failed");
          assert(!(await Deno.stat(stateDir).then(() => true, () => false)), "a plan makes no network");
          assertEquals((await ga.machine.exec(["test", "-e", "/opt/ctpf"], { check: false })).success, false);
          // First contact recorded, in a 0600 file of the command's config folder.
          assertEquals((await Deno.stat(knownHosts)).mode! & 0o777, 0o600);
          assertEquals((await Deno.readTextFile(knownHosts)).trim().split("\n").length, 2);
        },
      );

      await t.step(
        "a run: the mesh forms (exit 0), the network key stays in the 0700 state folder",
        async () => {
          const ran = await gloethdeployer("first run");
          assertEquals(ran.code, 0, shown(ran));
          assertMatch(ran.stdout, /^ga \| changed: unit gloeth\.service \(installed, enabled, started\)$/m);
          assertMatch(ran.stdout, /^gb \| mesh from 10\.200\.0\.2: reached 10\.200\.0\.1$/m);
          assertMatch(ran.stdout, /^ {2}node ga: changed \(node-init: serial \d+\)$/m);
          const summary = summaryOf(ran);
          assertEquals(summary[0], "summary");
          assertMatch(summary[1], /^ {2}ga {2}changed {2}\d+ changed, \d+ unchanged {2}\(/);
          assertMatch(summary[2], /^ {2}gb {2}changed {2}/);
          assertEquals(summary[3], "2 hosts: 2 ok (2 changed), 0 failed");
          assertEquals([await isActive(ga), await isActive(gb)], ["active", "active"]);
          assertEquals((await Deno.stat(join(stateDir, "network", "network.key"))).mode! & 0o777, 0o600);
          for (const dir of [stateDir, join(stateDir, "network")]) {
            assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o700, dir);
          }
          // The controller's gloeth: the release's own, unpacked into the command's cache folder.
          const cached = [...Deno.readDirSync(join(env.XDG_CACHE_HOME, "ctpf", "gloethdeployer"))];
          assertEquals(cached.length, 1);
        },
      );

      await t.step("a second run changes nothing and says so", async () => {
        const ran = await gloethdeployer("second run");
        assertEquals(ran.code, 0, shown(ran));
        console.log(ran.stdout.replaceAll(work, "$WORK"));
        assert(!/\| changed: /.test(ran.stdout), shown(ran));
        const summary = summaryOf(ran);
        assertMatch(summary[1], /^ {2}ga {2}ok {7}0 changed, \d+ unchanged {2}\(/);
        assertMatch(summary[2], /^ {2}gb {2}ok {7}0 changed, \d+ unchanged {2}\(/);
        assertEquals(summary[3], "2 hosts: 2 ok (0 changed), 0 failed");
      });

      await t.step("an unreachable host fails alone (exit 2, its error named); --json parses", async () => {
        await writeInventory([
          // It only dials out, so the others' peers do not change: they finish unchanged.
          { name: "gz", ssh: { address: lab.unusedAddress }, overlayAddress: "10.200.0.9", listen: false },
        ]);
        const ran = await gloethdeployer("with an unreachable host", "--json");
        assertEquals(ran.code, 2, shown(ran));
        const result = JSON.parse(ran.stdout);
        assertEquals([result.command, result.plan, result.ok], ["gloethdeployer", false, false]);
        const rows = Object.fromEntries(
          result.hosts.map((
            host: { host: string; status: string; error?: { kind: string; message: string } },
          ) => [
            host.host,
            host.status === "failed" ? `failed ${host.error!.kind}` : host.status,
          ]),
        );
        assertEquals(rows, { ga: "ok", gb: "ok", gz: "failed unreachable" });
        const gz = result.hosts.find((host: { host: string }) => host.host === "gz");
        assertMatch(gz.error.message, /^gz: /);
        assertEquals(
          result.mesh.map((check: { host: string; missing: string[] }) =>
            `${check.host} ${check.missing.length}`
          ),
          ["ga 0", "gb 0"],
        );
        // The live lines went to stderr, each with its host.
        assertMatch(ran.stderr, /^gz \| failed: gz: /m);
        assertMatch(ran.stderr, /^ga \| unchanged: unit gloeth\.service/m);
        assertEquals([await isActive(ga), await isActive(gb)], ["active", "active"]);
      });

      await t.step("an invalid inventory: exit 1, every wrong field named, no host tried", async () => {
        await Deno.writeTextFile(
          inventoryPath,
          JSON.stringify({
            overlayNetwork: "10.200.0.0/33",
            hosts: [{ name: "Bad_Name", overlayAddress: "x" }],
          }),
        );
        const ran = await gloethdeployer("invalid inventory");
        assertEquals(ran.code, 1, shown(ran));
        assertEquals(ran.stdout, "");
        const lines = ran.stderr.trim().split("\n");
        assertEquals(lines[0], `gloethdeployer: the inventory ${inventoryPath} has errors:`);
        for (const field of ["overlayNetwork", "hosts[0].name", "hosts[0].overlayAddress"]) {
          assert(lines.some((line) => line.startsWith(`  ${field}: `)), `${field} not named:\n${ran.stderr}`);
        }
      });
      console.log(`whole test: ${seconds(performance.now() - started)}`);
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
