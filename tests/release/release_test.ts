// `deno task release` end to end: the archives are made for real (Deno from the npm registry), checked with
// sha256sum -c, unpacked into temp folders and run from there as an operator would: --help, a server that
// answers /healthz on loopback, the unit checked by systemd-analyze. The aarch64 archive runs under
// qemu-user-static (tests/support/arm64_emulation.ts).
import { binaries } from "../../cmd/binaries.ts";
import { VERSION } from "../../core/version.ts";
import { elfArch } from "../../scripts/compile.ts";
import {
  archiveFile,
  compiledFile,
  inArchive,
  installRoot,
  releaseName,
} from "../../scripts/release/layout.ts";
import { aarch64EmulationMissing, emulatedAarch64 } from "../support/arm64_emulation.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { withPrivateRunSystemd } from "../../core/testing/private_run_systemd.ts";

const root = new URL("../../", import.meta.url).pathname;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Deno's cache for the unpacked binaries' runs (compiled code): in the test's folder, not the home's. */
let denoDir: string | undefined;

/** Runs `step`, then prints how long it took (the emulated steps are the slow part of this file). */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await step();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function run(
  command: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Ran> {
  const { code, stdout, stderr } = await new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: options.cwd,
    env: { ...(denoDir ? { DENO_DIR: denoDir } : {}), ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
  }).output();
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

/** The release script with its own out and cache folders under `dir`. */
function releaseCommand(dir: string): string[] {
  return [
    Deno.execPath(),
    "run",
    "--allow-all",
    `${root}scripts/release.ts`,
    "--out-dir",
    `${dir}/out`,
    "--cache-dir",
    `${dir}/cache`,
  ];
}

/** Runs the release script into its own out and cache folders; returns what it printed. */
async function release(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const started = performance.now();
  const { code, stdout, stderr } = await run([...releaseCommand(dir), ...args], {
    env: { NO_COLOR: "1", ...env },
    timeoutMs: 600_000,
  });
  assertEquals(code, 0, `release ${args.join(" ")} failed:\n${stdout}${stderr}`);
  console.log(`release ${args.join(" ")}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return stdout + stderr;
}

/** sha256sum -c over the out folder; returns the files it checked. */
async function checkSums(outDir: string): Promise<string[]> {
  const { code, stdout, stderr } = await run(["sha256sum", "-c", "--strict", "SHA256SUMS"], { cwd: outDir });
  assertEquals(code, 0, `sha256sum -c failed:\n${stdout}${stderr}`);
  const lines = stdout.trim().split("\n");
  assert(lines.every((line) => line.endsWith(": OK")), stdout);
  return lines.map((line) => line.slice(0, -": OK".length)).sort();
}

async function unpack(archive: string, into: string): Promise<void> {
  const { code, stderr } = await run(["tar", "-xzf", archive, "-C", into]);
  assertEquals(code, 0, `tar -xzf ${archive}: ${stderr}`);
}

/** `<launcher> --help`: exits 0, starts with "<name> — ", lists --listen (a service) or --plan (a deployer). */
async function checkHelp(name: string, command: string[]): Promise<void> {
  const help = await run([...command, "--help"]);
  assertEquals(help.code, 0, `${name} --help: ${help.stderr}`);
  assertMatch(help.stdout, new RegExp(`^${name} — `));
  assert(help.stdout.includes(binaries[name].tool ? "--plan" : "--listen"), help.stdout);
}

/**
 * A tool (a deployer) has no server and no unit: --version runs the program with its npm packages (ssh2
 * loads as the bundle starts), and an inventory that is not there is refused with exit 1.
 */
async function checkTool(name: string, launcher: string, unpacked: string): Promise<void> {
  const version = await run([launcher, "--version"]);
  assertEquals(version.code, 0, `${name} --version: ${version.stderr}`);
  assertMatch(version.stdout, new RegExp(`^${name} ${VERSION} \\(deno `));
  const missing = await run([launcher, `${unpacked}/no-such-inventory.json`]);
  assertEquals(missing.code, 1, missing.stdout + missing.stderr);
  assertMatch(missing.stderr, /no-such-inventory\.json cannot be read/);
  const unit = await Deno.stat(`${unpacked}/${inArchive.unit(name)}`).then(() => true, () => false);
  assert(!unit, `${name} is a tool: its archive has no unit`);
}

/** Starts the binary on 127.0.0.1 and expects {"status":"ok"} from /healthz. */
async function checkHealthz(command: string[], args: string[], listenTimeoutMs?: number): Promise<void> {
  const env = denoDir ? { DENO_DIR: denoDir } : undefined;
  await using server = await startBinary({ command, args, env, listenTimeoutMs });
  const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
  assertEquals(response.status, 200);
  assertEquals((await response.text()).trim(), '{"status":"ok"}');
}

/**
 * gloeth runs from a node folder that `node-init` makes from a network folder, which `networkInit` makes
 * (the released gloeth, or the controller's own in the aarch64 case). It runs as a relay (no TAP) that
 * dials nobody.
 */
async function gloethNode(command: string[], workDir: string, networkInit = command): Promise<string[]> {
  const network = await run([...networkInit, "network-init", `${workDir}/net`]);
  assertEquals(network.code, 0, `gloeth network-init: ${network.stdout}${network.stderr}`);
  const node = await run([...command, "node-init", `${workDir}/net`, `${workDir}/node`, "--name", "release"]);
  assertEquals(node.code, 0, `gloeth node-init: ${node.stdout}${node.stderr}`);
  assertMatch(node.stdout, /^node release: id [0-9a-f]+/);
  const key = await Deno.stat(`${workDir}/node/node.key`);
  assertEquals(key.mode! & 0o777, 0o600, "node-init keeps the node key 0600");
  return ["--node-dir", `${workDir}/node`, "--tap", "", "--link-listen", "127.0.0.1:0"];
}

/**
 * The unit as installed: the archive unpacked at /opt/ctpf/<folder> with the /opt/ctpf/<name> symlink the
 * README gives, inside a temporary root that also holds this host's system units (targets it names).
 */
async function verifyUnit(name: string, unpacked: string, workDir: string): Promise<void> {
  const fakeRoot = `${workDir}/root`;
  const folder = unpacked.split("/").at(-1)!;
  await Deno.mkdir(`${fakeRoot}${installRoot}`, { recursive: true });
  await Deno.mkdir(`${fakeRoot}/etc/systemd/system`, { recursive: true });
  await Deno.mkdir(`${fakeRoot}/usr/lib/systemd`, { recursive: true });
  assertEquals((await run(["cp", "-a", unpacked, `${fakeRoot}${installRoot}/`])).code, 0);
  await Deno.symlink(folder, `${fakeRoot}${installRoot}/${name}`);
  await Deno.copyFile(
    `${unpacked}/${inArchive.unit(name)}`,
    `${fakeRoot}/etc/systemd/system/${name}.service`,
  );
  assertEquals((await run(["cp", "-r", "/lib/systemd/system", `${fakeRoot}/usr/lib/systemd/`])).code, 0);
  const verify = await run(withPrivateRunSystemd([
    "systemd-analyze",
    "verify",
    `--root=${fakeRoot}`,
    "--man=no",
    `/etc/systemd/system/${name}.service`,
  ]));
  // verify only warns (exit 0) about unknown settings: any output at all is a finding.
  assertEquals({ code: verify.code, output: verify.stdout + verify.stderr }, { code: 0, output: "" }, name);
}

const systemdAnalyze = await run(["systemd-analyze", "--version"]).then((r) => r.code === 0, () => false);

Deno.test("release: every binary's x86_64 archive and deno compile binary check with sha256sum -c; the archives unpack, answer --help and /healthz (a deployer: --version and a missing inventory), and their units pass systemd-analyze verify", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-release-test-" });
  denoDir = `${dir}/deno-dir`;
  try {
    // A stand-in compile runtime (any executable of this architecture; dl.deno.land's denort cannot be
    // had here): deno compile embeds the program in it, which proves the wiring (flags, names, sums), not
    // the runtime. The aarch64 test below sees the release without one.
    await release(dir, ["--target", "x86_64"], { DENORT_BIN: "/bin/true" });
    const names = Object.keys(binaries);
    const archives = names.map((name) => archiveFile(name, VERSION, "x86_64"));
    const compiled = names.map((name) => compiledFile(name, VERSION, "x86_64"));
    assertEquals(await checkSums(`${dir}/out`), [...archives, ...compiled].sort());
    for (const file of compiled) {
      const bytes = await Deno.readFile(`${dir}/out/${file}`);
      assertEquals(elfArch(bytes.subarray(0, 20)), "x86_64", file);
      assertMatch(new TextDecoder("latin1").decode(bytes), /CTPF_COMMIT[\s\S]{0,16}[0-9a-f]{40}/, file);
    }
    if (!systemdAnalyze) console.log("systemd-analyze is not installed: the units are not verified");
    for (const name of names) {
      const into = `${dir}/${name}`;
      await Deno.mkdir(into);
      await unpack(`${dir}/out/${archiveFile(name, VERSION, "x86_64")}`, into);
      const unpacked = `${into}/${releaseName(name, VERSION, "x86_64")}`;
      const launcher = `${unpacked}/${inArchive.launcher(name)}`;
      await checkHelp(name, [launcher]);
      if (binaries[name].tool) {
        await checkTool(name, launcher, unpacked);
        continue;
      }
      const args = name === "gloeth" ? await gloethNode([launcher], into) : [];
      await checkHealthz([launcher], args);
      if (systemdAnalyze) await verifyUnit(name, unpacked, into);
    }
  } finally {
    denoDir = undefined;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("release: the aarch64 gloeth archive runs under qemu-user-static: --help, node-init, /healthz", async () => {
  const missing = await aarch64EmulationMissing();
  assert(!missing, `aarch64 emulation: ${missing}`);
  const dir = await Deno.makeTempDir({ prefix: "ctpf-release-test-" });
  denoDir = `${dir}/deno-dir`;
  try {
    const output = await release(dir, ["--target", "aarch64", "gloeth"]);
    const archive = archiveFile("gloeth", VERSION, "aarch64");
    const checked = await checkSums(`${dir}/out`);
    if (checked.length === 1) {
      assertMatch(output, /deno compile skipped: no deno compile runtime .* for aarch64-unknown-linux-gnu: /);
      assertEquals(checked, [archive]);
    } else {
      assertEquals(checked, [archive, compiledFile("gloeth", VERSION, "aarch64")].sort());
    }
    await unpack(`${dir}/out/${archive}`, dir);
    const unpacked = `${dir}/${releaseName("gloeth", VERSION, "aarch64")}`;
    using deno = await Deno.open(`${unpacked}/${inArchive.deno}`);
    const header = new Uint8Array(20);
    await deno.read(header);
    assertEquals(elfArch(header), "aarch64");

    const launcher = emulatedAarch64([`${unpacked}/${inArchive.launcher("gloeth")}`]);
    const version = await timed("emulated --version", () => run([...launcher, "--version"]));
    assertMatch(version.stdout, /^gloeth [\d.]+ \(deno [\d.]+, aarch64-unknown-linux-gnu\)/, version.stderr);
    await timed("emulated --help", () => checkHelp("gloeth", launcher));
    // The network is made on the controller (this x86_64 host, from the source), the node on the aarch64 node.
    const controller = [Deno.execPath(), "run", "--allow-all", `${root}cmd/gloeth.ts`];
    const args = await timed("emulated node-init", () => gloethNode(launcher, dir, controller));
    await timed("emulated start and /healthz", () => checkHealthz(launcher, args, 180_000));
  } finally {
    denoDir = undefined;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("release refuses an out folder that holds files no release made, and leaves them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-release-test-" });
  try {
    await Deno.mkdir(`${dir}/out`);
    await Deno.writeTextFile(`${dir}/out/notes.txt`, "mine\n");
    const { code, stdout, stderr } = await run(releaseCommand(dir));
    assertEquals(code, 1, stdout + stderr);
    assertMatch(stderr, /holds files no earlier release made \(notes\.txt\); choose another/);
    assertEquals(await Deno.readTextFile(`${dir}/out/notes.txt`), "mine\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
