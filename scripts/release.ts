// `deno task release [--target x86_64|aarch64|all] [--out-dir DIR] [--cache-dir DIR] [binary…]`: the
// release artifacts in dist/release/ for Linux x86_64 and aarch64. For every binary and architecture: a
// self-contained archive <name>-<version>-linux-<arch>.tar.gz (the bundled program, Deno for that
// architecture from the npm registry, a launcher, a systemd unit, a README), and a `deno compile` single
// binary where the target's compile runtime can be had (else a line says why). SHA256SUMS covers them all.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import type { BinarySpec } from "../cmd/binaries.ts";
import type { TarEntry } from "../core/archive/tar.ts";
import { VERSION } from "../core/version.ts";
import { gitCommit, root, selectBinaries } from "./bundle.ts";
import { type Arch, denoDir, targets } from "./compile.ts";
import { SharedMembers, tarGz } from "./release/archive.ts";
import { sha256Hex, sha256Sums } from "./release/checksums.ts";
import { compileForTarget } from "./release/compiled.ts";
import { defaultCacheDir, denoRuntime, npmPackage } from "./release/deno_runtime.ts";
import { installDoc } from "./release/install_doc.ts";
import { releaseLauncher } from "./release/launcher.ts";
import { archiveFile, inArchive, releaseName } from "./release/layout.ts";
import { type Program, releaseProgram } from "./release/program.ts";
import { systemdUnit } from "./release/unit.ts";

interface Facts {
  version: string;
  denoVersion: string;
  commit?: string;
  /** Seconds since the epoch stamped on every archive entry: SOURCE_DATE_EPOCH, else the commit's time. */
  mtime: number;
}

const encoder = new TextEncoder();
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function commitTime(): Promise<number> {
  const fromEnv = Number(Deno.env.get("SOURCE_DATE_EPOCH"));
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const { success, stdout } = await new Deno.Command("git", {
    args: ["-C", root, "log", "-1", "--format=%ct"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => ({ success: false, stdout: new Uint8Array() }));
  return success ? Number(new TextDecoder().decode(stdout).trim()) || 0 : 0;
}

/** The files of one archive, in the order written (the Deno executable last but one, for SharedMembers). */
function archiveEntries(
  name: string,
  spec: BinarySpec,
  arch: Arch,
  parts: { program: Program; deno: Uint8Array; denoLicense: Uint8Array; license: Uint8Array },
  facts: Facts,
): TarEntry[] {
  const folder = releaseName(name, facts.version, arch);
  const mtime = facts.mtime;
  const directory = (path: string): TarEntry => ({ name: `${folder}/${path}`, type: "directory", mtime });
  const file = (path: string, content: Uint8Array | string, mode = 0o644): TarEntry => ({
    name: `${folder}/${path}`,
    type: "file",
    content: typeof content === "string" ? encoder.encode(content) : content,
    mode,
    mtime,
  });
  const summary = parts.program.summary;
  return [
    { name: folder, type: "directory", mtime },
    file(
      inArchive.readme,
      installDoc(name, { ...facts, arch, summary, denoPackage: npmPackage[arch], tool: spec.tool }),
    ),
    file(inArchive.license, parts.license),
    // A tool (a deployer) is a command a person runs: no unit.
    ...(spec.tool
      ? []
      : [file(inArchive.unit(name), systemdUnit(name, { version: facts.version, summary }))]),
    directory("bin"),
    file(inArchive.launcher(name), releaseLauncher(name, spec, facts), 0o755),
    directory("lib"),
    file(inArchive.bundle(name), parts.program.bundle),
    file(inArchive.denoLicense, parts.denoLicense),
    file(inArchive.deno, parts.deno, 0o755),
  ];
}

/**
 * Empties outDir of a previous release (the files its SHA256SUMS lists) and refuses a folder holding other
 * things, so a mistyped --out-dir never loses files.
 */
async function prepareOutDir(outDir: string): Promise<void> {
  await Deno.mkdir(outDir, { recursive: true });
  const present = [...Deno.readDirSync(outDir)].map((entry) => entry.name);
  if (!present.length) return;
  const listed = await Deno.readTextFile(`${outDir}/SHA256SUMS`).catch(() => "");
  const previous = new Set([
    "SHA256SUMS",
    ...listed.split("\n").filter(Boolean).map((line) => line.slice(66)),
  ]);
  const strangers = present.filter((file) => !previous.has(file));
  if (strangers.length) {
    throw new Error(
      `${outDir} holds files no earlier release made (${strangers.join(", ")}); choose another`,
    );
  }
  for (const file of present) await Deno.remove(`${outDir}/${file}`);
}

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      target: { type: "string", default: "all" },
      "out-dir": { type: "string", default: "dist/release" },
      "cache-dir": { type: "string", default: defaultCacheDir() },
    },
  });
  const arches: Arch[] = values.target === "all" ? ["x86_64", "aarch64"] : [values.target as Arch];
  if (!arches.every((arch) => arch in targets)) throw new Error("--target must be x86_64, aarch64 or all");
  const selected = selectBinaries(positionals);
  const outDir = resolve(root, values["out-dir"]);
  const cacheDir = resolve(values["cache-dir"]);
  const facts: Facts = {
    version: VERSION,
    denoVersion: Deno.version.deno,
    commit: await gitCommit(),
    mtime: await commitTime(),
  };
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  await prepareOutDir(outDir);

  const workDir = await Deno.makeTempDir({ prefix: "ctpf-release-" });
  const sums = new Map<string, string>();
  try {
    const programs = new Map<string, Program>();
    for (const [name, spec] of selected) {
      programs.set(name, await releaseProgram(name, spec, workDir));
      console.log(`release: bundled ${name} (${mib(programs.get(name)!.bundle.length)}) at ${elapsed()}`);
    }
    const license = await Deno.readFile(`${root}LICENSE`);
    // The MIT licence the Deno executable ships under; the deno npm package carries it.
    const denoLicense = await Deno.readFile(`${root}node_modules/deno/LICENSE`);
    for (const arch of arches) {
      const runtime = await denoRuntime(arch, facts.denoVersion, cacheDir);
      const deno = await Deno.readFile(runtime.path);
      console.log(
        `release: Deno ${runtime.version} for ${arch} from ${npmPackage[arch]} (${runtime.integrity})`,
      );
      const members = new SharedMembers();
      for (const [name, spec] of selected) {
        const entries = archiveEntries(name, spec, arch, {
          program: programs.get(name)!,
          deno,
          denoLicense,
          license,
        }, facts);
        const archive = await tarGz(entries, { shared: entries.at(-1)!.name, members });
        const file = archiveFile(name, facts.version, arch);
        await Deno.writeFile(`${outDir}/${file}`, archive);
        sums.set(file, await sha256Hex(archive));
        console.log(`release: ${file} (${mib(archive.length)}) at ${elapsed()}`);
      }
    }
    const compileFacts = { ...facts, denoDir: await denoDir() };
    for (const arch of arches) {
      const bundles = selected.map(([name, spec]): [string, BinarySpec, string] => [
        name,
        spec,
        `${workDir}/${name}.js`,
      ]);
      const outcome = await compileForTarget(arch, bundles, outDir, compileFacts, root);
      if ("skipped" in outcome) {
        console.log(`release: deno compile skipped: ${outcome.skipped}. The archives need no such runtime.`);
        continue;
      }
      for (const file of outcome.built) {
        const binary = await Deno.readFile(`${outDir}/${file}`);
        sums.set(file, await sha256Hex(binary));
        console.log(`release: ${file} (deno compile, ${mib(binary.length)}) at ${elapsed()}`);
      }
    }
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
  await Deno.writeTextFile(`${outDir}/SHA256SUMS`, sha256Sums(sums));
  console.log(`release: ${sums.size} artifacts and SHA256SUMS in ${outDir} in ${elapsed()}`);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
