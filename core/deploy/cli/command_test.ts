import { join } from "node:path";
import { stringFlag } from "../../config/flags.ts";
import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { SshError } from "../ssh/errors.ts";
import type { HostOutcome } from "../ssh/run_hosts.ts";
import { type DeployerContext, type DeployerDefinition, runDeployer } from "./command.ts";
import { ExitCode } from "./exit_codes.ts";
import type { Output } from "./output.ts";
import { summarizeOutcome } from "./summary.ts";

const ownFlags = { stateDir: stringFlag({ name: "state-dir", description: "where", default: "/srv/x" }) };
type Context = DeployerContext<typeof ownFlags>;

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text) };
}

function outcome(host: string, fields: Partial<HostOutcome<void>>): HostOutcome<void> {
  return { host, ok: true, steps: [], changed: false, log: [], durationMs: 1200, ...fields };
}

/** A deployer whose "run" logs two lines per host and returns the given outcomes: the command's own logic. */
function definition(outcomes: HostOutcome<void>[], seen?: (context: Context) => void): DeployerDefinition<
  typeof ownFlags
> {
  return {
    name: "testdeployer",
    summary: "deploys nothing, for tests",
    flags: ownFlags,
    about: ["The inventory: { hosts: [...] }"],
    run(context) {
      seen?.(context);
      context.printer.hosts(outcomes.map((entry) => entry.host));
      for (const entry of outcomes) {
        context.printer.line(entry.host, "2026-12-04T23:00:01.123Z connect 10.0.0.1:22");
        context.printer.line(entry.host, "2026-12-04T23:00:01.500Z $ uname -m");
      }
      return Promise.resolve({
        plan: context.options.plan,
        changed: outcomes.some((entry) => entry.changed),
        hosts: outcomes.map(summarizeOutcome),
        details: { extra: "yes" },
      });
    },
  };
}

async function withDirs(fn: (dir: string, env: Record<string, string>) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-deploy-cli-" });
  try {
    await Deno.writeTextFile(
      join(dir, "inv.json"),
      JSON.stringify({ hosts: [{ name: "a", ssh: { address: "web" } }] }),
    );
    await fn(dir, { HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "config") });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const good = [
  outcome("alpha", {
    changed: true,
    steps: [{ step: "file /etc/x", changed: true, detail: "absent" }, {
      step: "unit x.service",
      changed: false,
      detail: "already so",
    }],
  }),
  outcome("b", { steps: [{ step: "file /etc/x", changed: false, detail: "already so" }] }),
];
const bad = outcome("c", {
  ok: false,
  error: new SshError("unreachable", "c", "connect ECONNREFUSED 10.0.0.9:22"),
});

Deno.test("deployer command: --help shows the usage with the inventory, the about lines and every shared flag", async () => {
  const output = capture();
  assertEquals(await runDeployer(definition([]), ["--help"], {}, output), ExitCode.ok);
  const help = output.stdout.join("\n");
  assertMatch(
    help,
    /^testdeployer — deploys nothing, for tests\n\nUsage: testdeployer \[flags\] <inventory\.json>\n/,
  );
  assert(help.includes("The inventory: { hosts: [...] }"), help);
  for (
    const flag of [
      "--plan",
      "--known-hosts <value>",
      "--ssh-config",
      "--concurrency",
      "--host-timeout",
      "--json",
      "--quiet",
      "--verbose",
      "--state-dir",
    ]
  ) {
    assert(help.includes(flag), `${flag} missing from:\n${help}`);
  }
});

Deno.test("deployer command: usage errors exit 1 with one clear line and run nothing", async () => {
  await withDirs(async (dir, env) => {
    const cases: [string[], RegExp][] = [
      [[], /^testdeployer: no inventory file given \(see --help\)$/],
      [["a.json", "b.json"], /one inventory file, not 2 arguments/],
      [["--concurrency", "0", "x.json"], /--concurrency: 0 is outside 1\.\.256/],
      [["--bogus", "x.json"], /Unknown option '--bogus'/],
      [["--quiet", "--verbose", "x.json"], /--quiet and --verbose contradict/],
      [[join(dir, "missing.json")], /missing\.json cannot be read/],
      [["--ssh-config", join(dir, "nope"), join(dir, "inv.json")], /--ssh-config .*nope cannot be read/],
    ];
    for (const [args, message] of cases) {
      const output = capture();
      let ran = false;
      const code = await runDeployer(definition(good, () => ran = true), args, env, output);
      assertEquals(code, ExitCode.usage, args.join(" "));
      assertEquals(output.stdout, []);
      assertEquals(output.stderr.length, 1, output.stderr.join("\n"));
      assertMatch(output.stderr[0], message);
      assert(!ran, `${args.join(" ")} ran the deployer`);
    }
  });
});

Deno.test("deployer command: an invalid inventory names each field; a failing run exits 1 with its message", async () => {
  await withDirs(async (dir, env) => {
    const invalid: DeployerDefinition<typeof ownFlags> = {
      ...definition([]),
      run: () => {
        throw new FieldErrors([{ field: "hosts[0].ssh.address", message: "required" }, {
          field: "stateDir",
          message: "absolute",
        }]);
      },
    };
    const output = capture();
    assertEquals(await runDeployer(invalid, [join(dir, "inv.json")], env, output), ExitCode.usage);
    assertEquals(output.stderr, [
      `testdeployer: the inventory ${join(dir, "inv.json")} has errors:`,
      "  hosts[0].ssh.address: required",
      "  stateDir: absolute",
    ]);
    const broken = {
      ...definition([]),
      run: () => Promise.reject(new Error("no gloeth archive for x86_64")),
    };
    const second = capture();
    assertEquals(await runDeployer(broken, [join(dir, "inv.json")], env, second), ExitCode.usage);
    assertEquals(second.stderr, ["testdeployer: no gloeth archive for x86_64"]);
  });
});

Deno.test("deployer command: live lines carry the host, the summary each host; all ok exits 0", async () => {
  await withDirs(async (dir, env) => {
    const output = capture();
    let context: Context | undefined;
    const code = await runDeployer(
      definition(good, (seen) => context = seen),
      [join(dir, "inv.json")],
      env,
      output,
    );
    assertEquals(code, ExitCode.ok);
    assertEquals(output.stderr, []);
    assertEquals(output.stdout, [
      "alpha | connect 10.0.0.1:22",
      "b     | connect 10.0.0.1:22",
      "summary",
      "  alpha  changed  1 changed, 1 unchanged  (1.2 s)",
      "  b      ok       0 changed, 1 unchanged  (1.2 s)",
      "2 hosts: 2 ok (1 changed), 0 failed",
    ]);
    // Defaults: the known-hosts file under XDG_CONFIG_HOME, made 0600 in a 0700 folder; the flag's own default.
    assertEquals(context!.options.knownHosts, join(dir, "config", "ctpf", "known_hosts"));
    assertEquals((await Deno.stat(context!.options.knownHosts)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(join(dir, "config", "ctpf"))).mode! & 0o777, 0o700);
    assertEquals(context!.options.stateDir, "/srv/x");
    assertEquals(context!.options.hostTimeout, 600);
  });
});

Deno.test("deployer command: a failed host exits 2 and is named with its error kind; --verbose shows commands and steps", async () => {
  await withDirs(async (dir, env) => {
    const output = capture();
    const code = await runDeployer(
      definition([...good, bad]),
      ["--verbose", "--plan", join(dir, "inv.json")],
      env,
      output,
    );
    assertEquals(code, ExitCode.hostFailed);
    assert(output.stdout.includes("alpha | 23:00:01 $ uname -m"), output.stdout.join("\n"));
    const summary = output.stdout.slice(output.stdout.indexOf("summary (plan: nothing was changed)"));
    assertEquals(summary, [
      "summary (plan: nothing was changed)",
      "  alpha  would change  1 would change, 1 unchanged  (1.2 s)",
      "         would change: file /etc/x (absent)",
      "         unchanged: unit x.service (already so)",
      "  b      ok            0 would change, 1 unchanged  (1.2 s)",
      "         unchanged: file /etc/x (already so)",
      "  c      failed        unreachable: c: connect ECONNREFUSED 10.0.0.9:22  (1.2 s)",
      "3 hosts: 2 ok (1 would change), 1 failed",
    ]);
  });
});

Deno.test("deployer command: --json prints one object on stdout, live lines on stderr; --quiet drops them", async () => {
  await withDirs(async (dir, env) => {
    const output = capture();
    const code = await runDeployer(
      definition([good[0], bad]),
      ["--json", join(dir, "inv.json")],
      env,
      output,
    );
    assertEquals(code, ExitCode.hostFailed);
    assertEquals(output.stdout.length, 1);
    const result = JSON.parse(output.stdout[0]);
    assertEquals([result.command, result.plan, result.ok, result.changed, result.extra], [
      "testdeployer",
      false,
      false,
      true,
      "yes",
    ]);
    assertEquals(
      result.hosts.map((host: { host: string; status: string }) => `${host.host} ${host.status}`),
      [
        "alpha changed",
        "c failed",
      ],
    );
    assertEquals(result.hosts[1].error, {
      kind: "unreachable",
      message: "c: connect ECONNREFUSED 10.0.0.9:22",
    });
    assertEquals(output.stderr, ["alpha | connect 10.0.0.1:22", "c     | connect 10.0.0.1:22"]);

    const quiet = capture();
    assertEquals(
      await runDeployer(definition(good), ["--quiet", join(dir, "inv.json")], env, quiet),
      ExitCode.ok,
    );
    assertEquals(quiet.stderr, []);
    assertEquals(quiet.stdout[0], "summary");
  });
});

Deno.test("deployer command: flags also come from CTPF_<NAME>_<FLAG>; the inventory from --inventory", async () => {
  await withDirs(async (dir, env) => {
    let context: Context | undefined;
    const code = await runDeployer(
      definition(good, (seen) => context = seen),
      ["--inventory", join(dir, "inv.json"), "--known-hosts", join(dir, "kh", "known_hosts")],
      { ...env, CTPF_TESTDEPLOYER_CONCURRENCY: "3", CTPF_TESTDEPLOYER_PLAN: "true" },
      capture(),
    );
    assertEquals(code, ExitCode.ok);
    assertEquals([context!.options.concurrency, context!.options.plan], [3, true]);
    assertEquals(context!.inventoryPath, join(dir, "inv.json"));
    assertEquals((await Deno.stat(join(dir, "kh", "known_hosts"))).mode! & 0o777, 0o600);
  });
});

Deno.test("deployer command: the ssh_config at its default path fills each host's ssh; absent, it is skipped", async () => {
  await withDirs(async (dir, env) => {
    let context: Context | undefined;
    const run = () =>
      runDeployer(definition(good, (seen) => context = seen), [join(dir, "inv.json")], env, capture());
    assertEquals(await run(), ExitCode.ok);
    assertEquals((context!.inventory.hosts as { ssh: unknown }[])[0].ssh, { address: "web" });
    await Deno.mkdir(join(dir, "home", ".ssh"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "home", ".ssh", "config"),
      "Host web\n  HostName 10.1.2.3\n  User deploy\n",
    );
    assertEquals(await run(), ExitCode.ok);
    assertEquals((context!.inventory.hosts as { ssh: unknown }[])[0].ssh, {
      address: "10.1.2.3",
      user: "deploy",
    });
  });
});
