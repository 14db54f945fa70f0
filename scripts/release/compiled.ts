// The `deno compile` single binaries of a release, made only for the targets whose compile runtime (denort)
// can be had: deno compile takes it from $DENORT_BIN, its cache, or the Deno CDN (scripts/compile.ts finds
// which). The npm registry has no denort: its @deno/* packages hold the full deno CLI, which ignores a
// program glued onto it. So where the CDN is out of reach the release says why and ships the archives.
import type { BinarySpec } from "../../cmd/binaries.ts";
import { type Arch, compileArgs, probeUrl, resolveRuntime, type Runtime, targets } from "../compile.ts";
import { compiledFile } from "./layout.ts";

export type CompileOutcome = { built: string[] } | { skipped: string };

export interface CompileFacts {
  version: string;
  denoVersion: string;
  denoDir: string;
  commit?: string;
}

export async function runtimeFor(arch: Arch, facts: CompileFacts): Promise<Runtime> {
  return await resolveRuntime(arch, {
    denortBin: Deno.env.get("DENORT_BIN"),
    denoDir: facts.denoDir,
    version: facts.denoVersion,
    probe: probeUrl,
  });
}

/**
 * Compiles each binary's bundle (the program the archives carry) for `arch` into `outDir`, or says why it
 * cannot. From the bundle with --no-config, deno compile embeds that one file: from the entry module it
 * would embed the whole node_modules folder when that is a symlink (as in a git worktree), 240 MB.
 */
export async function compileForTarget(
  arch: Arch,
  selected: [string, BinarySpec, string][],
  outDir: string,
  facts: CompileFacts,
  root: string,
): Promise<CompileOutcome> {
  const runtime = await runtimeFor(arch, facts);
  if (runtime.source === "missing") {
    return {
      skipped: `no deno compile runtime (denort ${facts.denoVersion}) for ${
        targets[arch]
      }: ${runtime.reason}`,
    };
  }
  // Inside outDir, so the finished binaries are renamed within one file system.
  const temporary = await Deno.makeTempDir({ dir: outDir, prefix: ".compile-" });
  try {
    const envFile = facts.commit ? `${temporary}/commit.env` : undefined;
    if (envFile) await Deno.writeTextFile(envFile, `CTPF_COMMIT=${facts.commit}\n`);
    const env = Deno.env.toObject();
    delete env.DENORT_BIN; // it would override a cached runtime of a target it does not fit
    if (runtime.source === "DENORT_BIN") env.DENORT_BIN = runtime.from;
    const built: string[] = [];
    for (const [name, spec, bundle] of selected) {
      const options = { outDir: temporary, envFile, bundle: false, noConfig: true };
      const { code } = await new Deno.Command(Deno.execPath(), {
        args: compileArgs(name, { ...spec, entry: bundle }, arch, options),
        cwd: root,
        env,
        clearEnv: true,
        stdout: "inherit",
        stderr: "inherit",
      }).output();
      if (code !== 0) throw new Error(`deno compile of ${name} for ${targets[arch]} failed (exit ${code})`);
      const file = compiledFile(name, facts.version, arch);
      await Deno.rename(`${temporary}/${name}-${arch}`, `${outDir}/${file}`);
      built.push(file);
    }
    return { built };
  } finally {
    await Deno.remove(temporary, { recursive: true });
  }
}
