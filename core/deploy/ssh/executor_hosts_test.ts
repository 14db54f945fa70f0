// The executor against real hosts: Debian booted with systemd-nspawn in the test's namespaces (real
// sshd, real systemd), a host reachable only through a bastion, and a plain sshd without systemd. One
// lab, booted once, serves every step; each step uses its own known-hosts file unless it is about
// sharing one.
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStrictEquals,
} from "../../testing/assert.ts";
import { rootTest, run, spawnBackground, waitFor } from "../../testing/harness/mod.ts";
import { HostLab } from "../testing/host_lab.ts";
import { connect } from "./connect.ts";
import { SshError } from "./errors.ts";
import { KnownHosts } from "./known_hosts.ts";
import { runOnHosts } from "./run_hosts.ts";
import { SshConfig } from "./ssh_config.ts";
import { ensureFile, ensureUnit, run as runStep } from "./steps.ts";

const EXPECTED_ARCH = Deno.build.arch === "aarch64" ? "aarch64" : "x86_64";

async function fingerprintOfFile(publicKeyPath: string): Promise<string> {
  return (await run(["ssh-keygen", "-lf", publicKeyPath])).stdout.split(" ")[1];
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

rootTest({
  name: "ssh executor on real hosts (systemd-nspawn Debian, a bastion, a host without systemd)",
  tools: ["systemd-nspawn", "debootstrap", "nsenter", "socat", "ssh-keygen", "ssh-agent", "ssh-add"],
  fn: async (t) => {
    const started = performance.now();
    await using lab = await HostLab.start();
    const [alpha, beta, plain] = await Promise.all([
      lab.boot("alpha"),
      lab.boot("beta"),
      lab.plainSshd("plain"),
    ]);
    const hidden = await lab.boot("hidden", { behind: alpha });
    console.log(`lab up in ${Math.round(performance.now() - started)} ms`);
    let files = 0;
    const knownHosts = () => new KnownHosts(join(lab.dir, `known_hosts.${files++}`));

    await t.step("exec: stdout, stderr and exit status; a failing command is a 'command' error", async () => {
      const connection = await connect(lab.spec(alpha), { knownHosts: knownHosts() });
      try {
        const result = await connection.exec("echo out; echo err >&2; exit 3", { check: false });
        assertEquals([result.stdout, result.stderr, result.code], ["out\n", "err\n", 3]);
        assertEquals((await connection.exec(["printf", "%s", "it's; $HOME"])).stdout, "it's; $HOME");
        assertEquals((await connection.exec("cat", { stdin: "piped in" })).stdout, "piped in");
        // The fixture's hosts may configure their own network as a machine's root can (a mesh's TAP device).
        await connection.exec("ip tuntap add mode tap name ctpf0 && ip link del ctpf0");
        const failed = await assertRejects(() => connection.exec("echo nope >&2; exit 4"), SshError);
        assertStrictEquals((failed as SshError).kind, "command");
        assertMatch(failed.message, /^alpha: echo nope >&2; exit 4 exited 4: nope$/);
        const slow = await assertRejects(() => connection.exec("sleep 30", { timeoutMs: 300 }), SshError);
        assertStrictEquals((slow as SshError).kind, "timeout");
      } finally {
        connection.close();
      }
    });

    await t.step("upload: the file arrives whole (sha256 checked there), with its mode", async () => {
      const connection = await connect(lab.spec(alpha), { knownHosts: knownHosts() });
      try {
        const content = new Uint8Array(3 << 20);
        for (let offset = 0; offset < content.length; offset += 65536) {
          crypto.getRandomValues(content.subarray(offset, offset + 65536));
        }
        // Uploads do not make directories: that is the steps' business (ensureFile does).
        const missing = await assertRejects(
          () => connection.upload("/opt/ctpf/blob.bin", content, { mode: 0o750 }),
          SshError,
        );
        assertStrictEquals((missing as SshError).kind, "transfer");
        assertMatch(missing.message, /^alpha: upload of \/opt\/ctpf\/blob\.bin failed: No such file/);
        await connection.mkdirFor("/opt/ctpf/blob.bin");
        await connection.upload("/opt/ctpf/blob.bin", content, { mode: 0o750 });
        const inside = await alpha.machine.exec([
          "sh",
          "-c",
          "stat -c %a /opt/ctpf/blob.bin; sha256sum /opt/ctpf/blob.bin",
        ]);
        const [mode, digest] = inside.stdout.trim().split("\n");
        assertStrictEquals(mode, "750");
        const expected = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", content)))
          .map((byte) => byte.toString(16).padStart(2, "0")).join("");
        assertStrictEquals(digest.split(" ")[0], expected);
        // No temporary file is left beside it.
        assertEquals((await alpha.machine.exec(["ls", "/opt/ctpf"])).stdout.trim(), "blob.bin");

        // A secret's digest stays out of the log, as its content always does.
        const log: string[] = [];
        const [outcome] = await runOnHosts([lab.spec(alpha)], async (target) => {
          await ensureFile(target, "/etc/ctpf-test/token", "s3cret-token\n", { mode: 0o600, secret: true });
        }, { knownHosts: knownHosts(), onLog: (_host, line) => log.push(line) });
        assert(outcome.ok, outcome.error?.message);
        const secretDigest = Array.from(
          new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("s3cret-token\n"))),
        ).map((byte) => byte.toString(16).padStart(2, "0")).join("");
        const text = log.join("\n");
        assert(!text.includes(secretDigest.slice(0, 16)) && !text.includes("s3cret"), text);
        assertEquals((await alpha.machine.exec(["cat", "/etc/ctpf-test/token"])).stdout, "s3cret-token\n");
      } finally {
        connection.close();
      }
    });

    await t.step(
      "steps: ensureFile and ensureUnit change once, then report unchanged; plan mode changes nothing",
      async () => {
        const store = knownHosts();
        const unit = "[Unit]\nDescription=ctpf test\n[Service]\nExecStart=/usr/bin/sleep infinity\n" +
          "[Install]\nWantedBy=multi-user.target\n";
        const apply = (plan: boolean, content: string, unitText: string) =>
          runOnHosts([lab.spec(beta)], async (target) => {
            await ensureFile(target, "/etc/ctpf-test/app.conf", content, { mode: 0o600 });
            await ensureUnit(target, "ctpf-test.service", unitText);
            await runStep(target, "marker", "touch /etc/ctpf-test/marker", {
              unless: "test -e /etc/ctpf-test/marker",
            });
          }, { knownHosts: store, plan });
        const summary = (outcomes: Awaited<ReturnType<typeof apply>>) => {
          assert(outcomes[0].ok, outcomes[0].error?.message);
          return outcomes[0].steps.map((step) =>
            `${step.step}: ${step.changed ? "changed" : "unchanged"} (${step.detail})`
          );
        };

        const planned = summary(await apply(true, "a=1\n", unit));
        assertEquals(planned, [
          "file /etc/ctpf-test/app.conf: changed (absent)",
          "unit ctpf-test.service: changed (installed, enabled, started)",
          "marker: changed (check failed: ran)",
        ]);
        const untouched = await beta.machine.exec([
          "sh",
          "-c",
          "ls /etc/ctpf-test /etc/systemd/system/ctpf-test.service",
        ], {
          check: false,
        });
        assert(!untouched.success, "a plan wrote to the host");

        assertEquals(summary(await apply(false, "a=1\n", unit)), planned);
        assertEquals(
          (await beta.machine.exec(["systemctl", "is-active", "ctpf-test.service"])).stdout.trim(),
          "active",
        );
        assertEquals(
          (await beta.machine.exec(["systemctl", "is-enabled", "ctpf-test.service"])).stdout.trim(),
          "enabled",
        );
        assertEquals(
          (await beta.machine.exec(["stat", "-c", "%a", "/etc/ctpf-test/app.conf"])).stdout.trim(),
          "600",
        );

        const again = await apply(false, "a=1\n", unit);
        assertEquals(summary(again), [
          "file /etc/ctpf-test/app.conf: unchanged (already so)",
          "unit ctpf-test.service: unchanged (already so)",
          "marker: unchanged (check passed: nothing to do)",
        ]);
        assertStrictEquals(again[0].changed, false);

        // A changed unit restarts the running service; a plan of a content change says so and does not write.
        const pid = async () =>
          (await beta.machine.exec(["systemctl", "show", "-P", "MainPID", "ctpf-test.service"])).stdout
            .trim();
        const before = await pid();
        assertEquals(
          summary(await apply(true, "a=2\n", unit.replace("infinity", "86400")))[0],
          "file /etc/ctpf-test/app.conf: changed (content differs)",
        );
        assertEquals((await beta.machine.exec(["cat", "/etc/ctpf-test/app.conf"])).stdout, "a=1\n");
        assertStrictEquals(await pid(), before);
        assertEquals(summary(await apply(false, "a=2\n", unit.replace("infinity", "86400"))).slice(0, 2), [
          "file /etc/ctpf-test/app.conf: changed (content differs)",
          "unit ctpf-test.service: changed (updated, restarted)",
        ]);
        assert((await pid()) !== before, "the service was not restarted");
        // A mode alone is a change too.
        await beta.machine.exec(["chmod", "644", "/etc/ctpf-test/app.conf"]);
        assertEquals(
          summary(await apply(false, "a=2\n", unit.replace("infinity", "86400")))[0],
          "file /etc/ctpf-test/app.conf: changed (mode 644 → 600)",
        );
      },
    );

    await t.step("facts: the architecture from uname -m, systemd as PID 1", async () => {
      const [outcome] = await runOnHosts([lab.spec(alpha)], () => Promise.resolve(), {
        knownHosts: knownHosts(),
      });
      assert(outcome.ok, outcome.error?.message);
      assertEquals(outcome.facts, {
        arch: EXPECTED_ARCH,
        machine: EXPECTED_ARCH,
        systemd: true,
        init: "systemd",
      });
      // Each machine's systemd has a cgroup of its own (a shared one let one host's units fail another's boot).
      const cgroupOf = async (pid: number) => (await Deno.readTextFile(`/proc/${pid}/cgroup`)).trim();
      const [alphaCgroup, betaCgroup] = await Promise.all([
        cgroupOf(alpha.machine.process.pid),
        cgroupOf(beta.machine.process.pid),
      ]);
      assertMatch(alphaCgroup, /ctpf-test-\d+-alpha-/);
      assertMatch(betaCgroup, /ctpf-test-\d+-beta-/);
    });

    await t.step("a host reachable only through a bastion (ProxyJump over direct-tcpip)", async () => {
      const store = knownHosts();
      const direct = await assertRejects(
        () =>
          connect(
            lab.spec(hidden, { jump: undefined, proxyCommand: lab.proxyCommand, connectTimeoutMs: 4_000 }),
            { knownHosts: store },
          ),
        SshError,
      );
      assertStrictEquals((direct as SshError).kind, "unreachable", direct.message);
      const log: string[] = [];
      const [outcome] = await runOnHosts([lab.spec(hidden)], async (target) => {
        return (await target.connection.exec("hostname; ip -4 -o addr show eth0")).stdout;
      }, { knownHosts: store, onLog: (_host, line) => log.push(line) });
      assert(outcome.ok, outcome.error?.message);
      assertMatch(outcome.value!, /^hidden\n.*inet 10\.89\.0\.2\/24/);
      // Both hosts' keys were checked and recorded.
      assertEquals(store.fingerprints(alpha.address).length, 1);
      assertEquals(store.fingerprints("10.89.0.2").length, 1);
      assert(log.some((line) => line.includes(`[via alpha] host key of ${alpha.address}`)), log.join("\n"));

      // The same through an ~/.ssh/config-style file: the alias, its ProxyJump and the bastion's own entry.
      const config = new SshConfig([
        "Host bastion",
        `  HostName ${alpha.address}`,
        `  ProxyCommand ${lab.proxyCommand}`,
        "Host inner",
        "  HostName 10.89.0.2",
        "  ProxyJump bastion",
        "Host *",
        "  User root",
        `  IdentityFile ${lab.identityFile}`,
        "  ConnectTimeout 10",
      ].join("\n"));
      const viaConfig = await connect({ ...config.resolve("inner"), agent: false }, { knownHosts: store });
      assertEquals((await viaConfig.exec("hostname")).stdout, "hidden\n");
      viaConfig.close();
    });

    await t.step("ssh-agent: a key only the agent holds logs in", async () => {
      const dir = await Deno.makeTempDir({ prefix: "ctpf-agent-" });
      const socket = join(dir, "agent.sock");
      await using agent = spawnBackground(["ssh-agent", "-D", "-a", socket]);
      await waitFor(async () => (await Deno.stat(socket).then(() => true, () => false)), {
        what: "ssh-agent socket",
      });
      try {
        await run(["ssh-add", "-q", lab.identityFile], { env: { SSH_AUTH_SOCK: socket } });
        const spec = lab.spec(alpha, { identityFiles: [], agent: socket });
        const connection = await connect(spec, { knownHosts: knownHosts() });
        assertEquals((await connection.exec("echo agent")).stdout, "agent\n");
        connection.close();
      } finally {
        await agent.stop();
        await Deno.remove(dir, { recursive: true });
      }
    });

    await t.step("a passphrase-protected key: used with its passphrase, named without one", async () => {
      const dir = await Deno.makeTempDir({ prefix: "ctpf-passphrase-" });
      try {
        const key = join(dir, "id_ed25519");
        await Deno.copyFile(lab.identityFile, key);
        await Deno.chmod(key, 0o600);
        await run(["ssh-keygen", "-q", "-p", "-N", "correct horse", "-f", key]);
        const store = knownHosts();
        const connection = await connect(
          lab.spec(alpha, { identityFiles: [key], passphrase: "correct horse" }),
          {
            knownHosts: store,
          },
        );
        assertEquals((await connection.exec("echo unlocked")).stdout, "unlocked\n");
        connection.close();
        const locked = await assertRejects(
          () => connect(lab.spec(alpha, { identityFiles: [key] }), { knownHosts: store }),
          SshError,
        );
        assertStrictEquals((locked as SshError).kind, "auth");
        assertStrictEquals(locked.message, `alpha: key file ${key} is encrypted and no passphrase was given`);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });

    await t.step("a jump host that refuses us: the target's error, naming the jump host", async () => {
      const dir = await Deno.makeTempDir({ prefix: "ctpf-stranger-" });
      try {
        await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(dir, "stranger")]);
        const spec = lab.spec(hidden);
        spec.jump = { ...spec.jump!, identityFiles: [join(dir, "stranger")] };
        const [outcome] = await runOnHosts([spec], () => Promise.resolve(), { knownHosts: knownHosts() });
        assertEquals([outcome.host, outcome.ok, outcome.error?.kind], ["hidden", false, "auth"]);
        assertMatch(
          outcome.error!.message,
          /^hidden: through jump host alpha: root@10\.88\.0\.\d+:22 refused every credential/,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });

    await t.step(
      "a direct TCP connection (no proxy), through a loopback forwarder into the lab",
      async () => {
        const port = freePort();
        await using forwarder = spawnBackground([
          "socat",
          `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
          `EXEC:nsenter --net=${lab.side.path} socat STDIO TCP\\:${alpha.address}\\:22`,
        ]);
        await waitFor(async () => {
          try {
            (await Deno.connect({ hostname: "127.0.0.1", port })).close();
            return true;
          } catch {
            return false;
          }
        }, { what: "forwarder", describe: () => forwarder.output() });
        const store = knownHosts();
        const connection = await connect(
          lab.spec({ name: "alpha-direct", address: "127.0.0.1" }, {
            port,
            proxyCommand: undefined,
          }),
          { knownHosts: store },
        );
        assertEquals((await connection.exec("hostname")).stdout, "alpha\n");
        connection.close();
        assertEquals(store.fingerprints(`[127.0.0.1]:${port}`).length, 1);
      },
    );

    await t.step(
      "one parallel run: unreachable, refused, unknown key and no systemd each fail clearly; the others finish",
      async () => {
        const dir = await Deno.makeTempDir({ prefix: "ctpf-stranger-" });
        try {
          await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(dir, "stranger")]);
          const closedPort = freePort();
          const runStarted = performance.now();
          const outcomes = await runOnHosts(
            [
              lab.spec({ name: "nobody", address: lab.unusedAddress }, { connectTimeoutMs: 5_000 }),
              lab.spec({ name: "refused", address: "127.0.0.1" }, {
                port: closedPort,
                proxyCommand: undefined,
              }),
              lab.spec(alpha),
              lab.spec({ name: "wrong-key", address: alpha.address }, {
                identityFiles: [join(dir, "stranger")],
              }),
              lab.spec(plain),
              lab.spec(beta),
            ],
            async (target) => (await target.connection.exec("hostname")).stdout.trim(),
            {
              knownHosts: knownHosts(),
              concurrency: 3,
            },
          );
          const elapsed = performance.now() - runStarted;
          const byHost = Object.fromEntries(outcomes.map((outcome) => [outcome.host, outcome]));
          assertEquals(outcomes.map((outcome) => outcome.host), [
            "nobody",
            "refused",
            "alpha",
            "wrong-key",
            "plain",
            "beta",
          ]);
          assertEquals([byHost.alpha.ok, byHost.alpha.value, byHost.beta.ok, byHost.beta.value], [
            true,
            "alpha",
            true,
            "beta",
          ]);
          assertEquals(
            outcomes.filter((outcome) => !outcome.ok).map((outcome) => [outcome.host, outcome.error!.kind]),
            [["nobody", "unreachable"], ["refused", "unreachable"], ["wrong-key", "auth"], [
              "plain",
              "unsupported",
            ]],
          );
          assertMatch(byHost.nobody.error!.message, /^nobody: /);
          assertMatch(byHost.refused.error!.message, /ECONNREFUSED|refused/);
          assertMatch(
            byHost["wrong-key"].error!.message,
            new RegExp(
              `^wrong-key: root@${
                alpha.address.replaceAll(".", "\\.")
              }:22 refused every credential offered \\(key .*stranger\\)$`,
            ),
          );
          assertMatch(
            byHost.plain.error!.message,
            /^plain: systemd is not running on this host \(PID 1 is sshd/,
          );
          assertEquals(byHost.plain.facts?.systemd, false);
          assert(
            byHost.nobody.log.some((line) => line.includes("failed: nobody:")),
            "the failure is in the host's log",
          );
          assert(elapsed < 15_000, `the run took ${Math.round(elapsed)} ms`);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      },
    );

    await t.step("concurrency is bounded; a host over its time limit fails alone", async () => {
      const store = knownHosts();
      let inFlight = 0;
      let most = 0;
      const hosts = [
        lab.spec(alpha),
        lab.spec(beta),
        lab.spec({ name: "alpha-again", address: alpha.address }),
        lab.spec({ name: "beta-again", address: beta.address }),
      ];
      const outcomes = await runOnHosts(hosts, async (target) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await target.connection.exec("sleep 0.3");
        inFlight--;
      }, { knownHosts: store, concurrency: 2 });
      assertEquals(outcomes.map((outcome) => outcome.ok), [true, true, true, true]);
      assertStrictEquals(most, 2);

      const limited = await runOnHosts([lab.spec(alpha), lab.spec(beta)], async (target) => {
        await target.connection.exec(target.name === "alpha" ? "sleep 30" : "true", { timeoutMs: 60_000 });
      }, { knownHosts: store, hostTimeoutMs: 2_500 });
      assertEquals(limited.map((outcome) => [outcome.host, outcome.ok, outcome.error?.kind]), [
        ["alpha", false, "timeout"],
        ["beta", true, undefined],
      ]);
      assertMatch(limited[0].error!.message, /^alpha: host did not finish within 2500 ms$/);
      assert(limited[0].durationMs < 5_000, `${limited[0].durationMs} ms`);
    });

    await t.step(
      "host keys: first contact recorded (0600), then enforced; a regenerated key is refused, naming both fingerprints",
      async () => {
        const store = knownHosts();
        const first = await connect(lab.spec(beta), { knownHosts: store });
        first.close();
        assertStrictEquals((await Deno.stat(store.path)).mode! & 0o777, 0o600);
        const oldFingerprint = await fingerprintOfFile(`${beta.machine.hostKeyPath}.pub`);
        assertEquals(store.fingerprints(beta.address), [`ssh-ed25519 ${oldFingerprint}`]);
        const again = await connect(lab.spec(beta), { knownHosts: store });
        again.close();
        const recorded = await Deno.readTextFile(store.path);

        await beta.machine.regenerateHostKey();
        const newFingerprint = await fingerprintOfFile(`${beta.machine.hostKeyPath}.pub`);
        assert(newFingerprint !== oldFingerprint);
        const [outcome] = await runOnHosts([lab.spec(beta)], () => Promise.resolve(), { knownHosts: store });
        assertStrictEquals(outcome.ok, false);
        assertStrictEquals(outcome.error!.kind, "host-key");
        const message = outcome.error!.message;
        assert(message.startsWith(`beta: HOST KEY CHANGED for ${beta.address}: `), message);
        assert(message.includes(`expected ssh-ed25519 ${oldFingerprint}`), message);
        assert(message.includes(`offered ssh-ed25519 ${newFingerprint}`), message);
        // Never accepted, never recorded, and no command ran.
        assertStrictEquals(await Deno.readTextFile(store.path), recorded);
        assert(!outcome.log.some((line) => line.includes("$ ")), outcome.log.join("\n"));
      },
    );
    console.log(`all steps in ${Math.round(performance.now() - started)} ms`);
  },
});
