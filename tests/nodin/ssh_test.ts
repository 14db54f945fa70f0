// nodin's SSH driver against a real OpenSSH server (Debian's openssh-server) run from its own config in
// a private mount namespace (its privilege-separation dir /run/sshd is a temp dir there), listening on
// loopback. Its ForceCommand is a script that only records the command it was asked to run — the
// "shutdown" never reaches anything real — and, for a reboot, drops the connection the way a machine
// going down does.
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { type BackgroundProcess, rootTest, run, spawnBackground, waitFor } from "../harness/mod.ts";
import { PowerDriverError } from "../../core/nodin/power/driver.ts";
import { sshFactory } from "../../core/nodin/power/ssh/driver.ts";

const RECORDER = `#!/bin/sh
# Stands in for the machine's shell: records, never runs, what nodin asked for.
echo "$SSH_ORIGINAL_COMMAND" >> "$(dirname "$0")/commands.log"
case "$SSH_ORIGINAL_COMMAND" in
  *fail*) echo "shutdown: not permitted" >&2; exit 3 ;;
  # A rebooting machine drops its sessions: the session process goes, the connection with it.
  *-r*) kill -9 $PPID ;;
esac
exit 0
`;

const START = `set -e
d=$1
mount --bind "$d/run" /run
mkdir -m 755 /run/sshd
exec /usr/sbin/sshd -D -e -f "$d/sshd_config"
`;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

async function keygen(path: string): Promise<{ privateKey: string; publicKey: string }> {
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "nodin-test", "-f", path]);
  return {
    privateKey: await Deno.readTextFile(path),
    publicKey: (await Deno.readTextFile(`${path}.pub`)).trim(),
  };
}

interface Sshd extends AsyncDisposable {
  port: number;
  hostKey: string;
  client: { privateKey: string; publicKey: string };
  commands(): Promise<string[]>;
  process: BackgroundProcess;
}

async function startSshd(): Promise<Sshd> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-sshd-" });
  await Deno.mkdir(`${dir}/run`);
  const host = await keygen(`${dir}/host_key`);
  const client = await keygen(`${dir}/client_key`);
  await Deno.writeTextFile(`${dir}/authorized_keys`, `${client.publicKey}\n`);
  await Deno.writeTextFile(`${dir}/record.sh`, RECORDER, { mode: 0o755 });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/sshd_config`,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      `ForceCommand ${dir}/record.sh`,
      "",
    ].join("\n"),
  );
  const process = spawnBackground([
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "sh",
    "-c",
    START,
    "sshd",
    dir,
  ]);
  const dispose = async () => {
    await process.stop();
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await waitFor(async () => {
      if (process.exited) throw new Error(`sshd exited:\n${process.output()}`);
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    }, { timeoutMs: 10_000, what: "sshd listening", describe: () => process.output() });
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    port,
    hostKey: host.publicKey.split(" ").slice(0, 2).join(" "),
    client,
    process,
    commands: async () => {
      try {
        return (await Deno.readTextFile(`${dir}/commands.log`)).trim().split("\n").filter((line) =>
          line !== ""
        );
      } catch {
        return [];
      }
    },
    [Symbol.asyncDispose]: dispose,
  };
}

rootTest({
  name: "ssh driver: soft-off and reboot reach the machine's sshd as commands; status from its banner",
  tools: ["ssh", "ssh-keygen", "unshare"],
  fn: async () => {
    await using sshd = await startSshd();
    const driver = sshFactory.create({
      driver: "ssh",
      address: `127.0.0.1:${sshd.port}`,
      options: { timeoutMs: "10000" },
    }, { username: "root", extra: { privateKey: sshd.client.privateKey, hostKey: sshd.hostKey } });
    assertEquals(driver.capabilities(), { status: true, actions: ["soft-off", "cycle"], bootDevices: [] });

    const on = await driver.status();
    assertStrictEquals(on.state, "on");
    assertMatch(on.evidence, new RegExp(`^SSH banner from 127\\.0\\.0\\.1:${sshd.port}: SSH-2\\.0-OpenSSH_`));

    await driver.act("soft-off");
    // The reboot drops the connection mid-command, as a machine going down does: still a success.
    await driver.act("cycle");
    assertEquals(await sshd.commands(), ["shutdown -h now", "shutdown -r now"]);

    const cannot = await assertRejects(() => driver.act("on"), PowerDriverError);
    assertStrictEquals((cannot as PowerDriverError).kind, "unsupported");

    // A configured command that fails on the machine is a refusal with its words.
    const failing = sshFactory.create({
      driver: "ssh",
      address: `127.0.0.1:${sshd.port}`,
      options: { shutdownCommand: "sudo -n /bin/fail-shutdown" },
    }, { username: "root", extra: { privateKey: sshd.client.privateKey, hostKey: sshd.hostKey } });
    const refused = await assertRejects(() => failing.act("soft-off"), PowerDriverError);
    assertStrictEquals((refused as PowerDriverError).kind, "refused");
    assertMatch(refused.message, /exited 3 \(shutdown: not permitted\)/);
  },
});

rootTest({
  name: "ssh driver: a key the machine does not know or a host key that does not match is an auth error",
  tools: ["ssh", "ssh-keygen", "unshare"],
  fn: async () => {
    await using sshd = await startSshd();
    const dir = await Deno.makeTempDir({ prefix: "ctpf-ssh-keys-" });
    try {
      const stranger = await keygen(`${dir}/stranger`);
      const otherHost = await keygen(`${dir}/other_host`);
      const cases = [
        { privateKey: stranger.privateKey, hostKey: sshd.hostKey, says: /Permission denied/ },
        {
          privateKey: sshd.client.privateKey,
          hostKey: otherHost.publicKey.split(" ").slice(0, 2).join(" "),
          says: /Host key verification failed|HOST IDENTIFICATION HAS CHANGED/,
        },
      ];
      for (const { privateKey, hostKey, says } of cases) {
        const driver = sshFactory.create({ driver: "ssh", address: `127.0.0.1:${sshd.port}` }, {
          username: "root",
          extra: { privateKey, hostKey },
        });
        const error = await assertRejects(() => driver.act("soft-off"), PowerDriverError);
        assertStrictEquals((error as PowerDriverError).kind, "auth", error.message);
        assertMatch(error.message, says);
      }
      assertEquals(await sshd.commands(), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("ssh driver: no SSH server is 'unknown' with evidence; acting on it is unreachable, within bounds", async () => {
  const port = freePort();
  const driver = sshFactory.create({
    driver: "ssh",
    address: `127.0.0.1:${port}`,
    options: { timeoutMs: "5000", hostKeyCheck: "off" },
  }, { username: "root", extra: { privateKey: "not a key" } });
  const observed = await driver.status();
  assertStrictEquals(observed.state, "unknown");
  assertStrictEquals(
    observed.evidence,
    `refused: 127.0.0.1:${port} refused the TCP connection (off, or unreachable)`,
  );
  const started = performance.now();
  const error = await assertRejects(() => driver.act("soft-off"), PowerDriverError);
  assertStrictEquals((error as PowerDriverError).kind, "unreachable", error.message);
  assertMatch(error.message, /Connection refused/);
  assert(performance.now() - started < 5_000, "bounded");

  // A listener that never speaks SSH: silent, not "on".
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  try {
    const quiet = await sshFactory.create({
      driver: "ssh",
      address: `127.0.0.1:${silent.addr.port}`,
      options: { timeoutMs: "300", hostKeyCheck: "off" },
    }, { username: "root", extra: { privateKey: "x" } }).status();
    assertStrictEquals(quiet.state, "unknown");
    assertMatch(quiet.evidence, /^silent: .*accepted TCP but sent no SSH banner within 300 ms/);
  } finally {
    silent.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test("ssh driver: refuses addresses that could be options and credentials without a key or host key", () => {
  const kinds: string[] = [];
  for (
    const [address, credential, options] of [
      ["-oProxyCommand=x", { username: "root", extra: { privateKey: "k", hostKey: "h" } }, {}],
      ["host:99999", { username: "root", extra: { privateKey: "k", hostKey: "h" } }, {}],
      ["host", { username: "root", password: "pw" }, {}],
      ["host", { username: "root", extra: { privateKey: "k" } }, {}],
    ] as const
  ) {
    try {
      sshFactory.create({ driver: "ssh", address, options }, credential);
      kinds.push("created");
    } catch (error) {
      kinds.push((error as PowerDriverError).kind);
    }
  }
  assertEquals(kinds, ["unsupported", "unsupported", "auth", "auth"]);
});
