// The k3sdeployer command's own logic without hosts: its help, the inventory's errors and a host without
// an SSH address refused before anything is made, the state folder's defaults, and what it records as
// applied. Its runs on real hosts are in tests/deploy/k3s_deployer_hosts_test.ts.
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStrictEquals } from "../../testing/assert.ts";
import { runDeployer } from "../cli/command.ts";
import { ExitCode } from "../cli/exit_codes.ts";
import { appliedInventory, readAppliedInventory, writeAppliedInventory } from "./applied_state.ts";
import { k3sDeployer } from "./command.ts";
import { parseK3sInventory } from "./inventory.ts";
import { removalsBetween } from "./removal.ts";
import { highlyAvailable } from "./testing.ts";

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text: string) => stdout.push(text),
    err: (text: string) => stderr.push(text),
  };
}

async function withDir(fn: (dir: string, env: Record<string, string>) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-k3sdeployer-" });
  try {
    await fn(dir, { HOME: join(dir, "home"), XDG_DATA_HOME: join(dir, "data") });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("k3sdeployer --help names the inventory's shape and its own flags", async () => {
  const output = capture();
  assertEquals(await runDeployer(k3sDeployer, ["--help"], {}, output), ExitCode.ok);
  const help = output.stdout.join("\n");
  assertMatch(
    help,
    /^k3sdeployer — installs k3s on the hosts of an inventory over SSH, on the gloeth mesh\n/,
  );
  for (const flag of ["--state-dir", "--kubeconfig", "--uninstall", "--plan", "--known-hosts"]) {
    assert(help.includes(`  ${flag}`), `${flag} in --help`);
  }
});

Deno.test("k3sdeployer: an inventory without SSH addresses or with wrong fields tries nothing (exit 1)", async () => {
  await withDir(async (dir, env) => {
    const file = join(dir, "lab.json");
    const { tokenFile: _, ...withoutToken } = highlyAvailable();
    await Deno.writeTextFile(file, JSON.stringify(withoutToken));
    const output = capture();
    const args = [file, "--ssh-config=", `--known-hosts=${join(dir, "known_hosts")}`];
    assertEquals(await runDeployer(k3sDeployer, args, env, output), ExitCode.usage);
    assertEquals(output.stderr, [
      "k3sdeployer: ssh: no SSH address for s1, s2, s3, a1, a2: give each host an ssh.address",
    ]);
    // Nothing was made: not even the token in the default state folder (or the folder holding it).
    assertStrictEquals(
      await Deno.stat(join(dir, "data/ctpf/k3sdeployer")).then(() => true, () => false),
      false,
    );

    await Deno.writeTextFile(file, JSON.stringify({ ...withoutToken, cluster: "Lab!", servers: [] }));
    const wrong = capture();
    assertEquals(await runDeployer(k3sDeployer, args, env, wrong), ExitCode.usage);
    assertEquals(wrong.stderr, [
      `k3sdeployer: the inventory ${file} has errors:`,
      "  cluster: a name: 1-63 lowercase letters, digits or -",
      "  servers: at least one server: the first one initialises the cluster",
    ]);
  });
});

Deno.test("k3sdeployer applied state: kept 0600, read back; a host whose removal failed stays for the next run", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "state/applied.json");
    assertStrictEquals(await readAppliedInventory(path), undefined);
    const before = parseK3sInventory(highlyAvailable());
    const after = parseK3sInventory(highlyAvailable({ agents: [] }));
    const [a1, a2] = removalsBetween(before, after);
    const applied = appliedInventory(after, before, [a2]);
    assertEquals(applied.agents.map((host) => host.name), ["a2"]);
    await writeAppliedInventory(path, applied);
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    const read = await readAppliedInventory(path);
    assertEquals(read, JSON.parse(JSON.stringify(applied)));
    // The next run retries a2's removal only.
    assertEquals(removalsBetween(read!, after).map((removal) => removal.host), ["a2"]);
    assertEquals(a1.host, "a1");
    await Deno.writeTextFile(path, "{}");
    const error = await readAppliedInventory(path).then(() => undefined, (caught) => caught);
    assertMatch(String(error), /is not an inventory k3sdeployer wrote/);
  });
});
