// `deno task compile [--target x86_64|aarch64|all] [--out-dir DIR] [--unbundled] [binary…]`: self-contained
// executables dist/<name>-<arch> for Linux. deno compile glues the program onto denort, a runtime it reads
// from $DENORT_BIN, else from its cache in DENO_DIR, else downloads from the Deno CDN. Machines without the
// CDN would fail deep inside deno compile, so each target's runtime is found first and a missing one is
// explained before anything is built.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BinarySpec } from "../cmd/binaries.ts";
import { bundleProgram, gitCommit, root, selectBinaries } from "./bundle.ts";

export const targets = { x86_64: "x86_64-unknown-linux-gnu", aarch64: "aarch64-unknown-linux-gnu" } as const;
export type Arch = keyof typeof targets;

/** Where a target's runtime comes from, or why there is none. */
export type Runtime =
  | { source: "DENORT_BIN" | "cache" | "download"; from: string }
  | { source: "missing"; reason: string };

/** The cache path and URL Deno 2.9 uses for a stable release (cli/standalone/binary.rs, get_base_binary). */
export const cachePath = (denoDir: string, version: string, arch: Arch) =>
  `${denoDir}/dl/release/v${version}/denort-${targets[arch]}.zip`;
export const runtimeUrl = (version: string, arch: Arch) =>
  `https://dl.deno.land/release/v${version}/denort-${targets[arch]}.zip`;

/** The ELF machine of an executable's first bytes (e_machine, little-endian, at offset 18). */
export function elfArch(header: Uint8Array): Arch | undefined {
  if (header.length < 20 || header[0] !== 0x7f || header[1] !== 0x45 || header[2] !== 0x4c) return undefined;
  const machine = header[18] | (header[19] << 8);
  return machine === 0x3e ? "x86_64" : machine === 0xb7 ? "aarch64" : undefined;
}

export interface RuntimeOptions {
  denortBin?: string;
  denoDir: string;
  version: string;
  /** Fetches the URL's status with a short timeout; returns why it failed, or undefined when it answered 2xx. */
  probe: (url: string) => Promise<string | undefined>;
}

/**
 * deno compile embeds DENORT_BIN whatever --target says (tested: an x86_64 file makes an "aarch64" binary),
 * so DENORT_BIN only serves the target its ELF header names; other targets look in the cache.
 */
export async function resolveRuntime(arch: Arch, options: RuntimeOptions): Promise<Runtime> {
  let unfit = "";
  if (options.denortBin) {
    const path = options.denortBin;
    let header: Uint8Array;
    try {
      using file = await Deno.open(path);
      header = new Uint8Array(20);
      await file.read(header);
    } catch (error) {
      return { source: "missing", reason: `DENORT_BIN=${path} cannot be read: ${error}` };
    }
    const binArch = elfArch(header);
    if (!binArch) {
      return { source: "missing", reason: `DENORT_BIN=${path} is no x86_64 or aarch64 executable` };
    }
    if (binArch === arch) {
      if (await sameFile(path, Deno.execPath())) {
        return { source: "missing", reason: `DENORT_BIN=${path} is deno itself, not denort` };
      }
      return { source: "DENORT_BIN", from: path };
    }
    unfit = `DENORT_BIN is for ${binArch}; `;
  }
  const cached = cachePath(options.denoDir, options.version, arch);
  if (await exists(cached)) return { source: "cache", from: cached };
  const url = runtimeUrl(options.version, arch);
  const failure = await options.probe(url);
  if (!failure) return { source: "download", from: url };
  return { source: "missing", reason: `${unfit}not cached, and dl.deno.land is out of reach: ${failure}` };
}

/** A HEAD request bounded by a timeout, so a black-holed network costs seconds, not minutes. */
export async function probeUrl(url: string, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    // fetch says only "fetch failed"; the cause names DNS, refusal or timeout.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return cause instanceof Error ? cause.message.replace(/^.*\): /, "") : String(cause);
  }
}

/** The paragraph printed instead of building when some target has no runtime. */
export function missingMessage(missing: [Arch, string][], denoDir: string, version: string): string {
  const which = missing.map(([arch, reason]) => `${targets[arch]} (${reason})`).join(" and ");
  return `compile: nothing was built: no Deno runtime (denort ${version}) for ${which}. deno compile wraps ` +
    `the program in denort, which it reads from $DENORT_BIN, else from its cache, else downloads from ` +
    `dl.deno.land. Provide it in one of three ways: set DENORT_BIN=/path/to/denort (an unzipped denort ` +
    `${version}; deno would use it for every --target, so this script gives it only to the target of its ` +
    `architecture), or put denort-<target>.zip from https://dl.deno.land/release/v${version}/ at ` +
    `${cachePath(denoDir, version, missing[0][0]).replace(targets[missing[0][0]], "<target>")}, or run ` +
    `\`deno task compile\` on a machine that reaches dl.deno.land. (\`deno task bundle\` needs none of this.)`;
}

/** The deno compile arguments for one binary and target. */
export function compileArgs(
  name: string,
  spec: BinarySpec,
  arch: Arch,
  options: { outDir: string; envFile?: string; bundle: boolean; noConfig?: boolean },
): string[] {
  return [
    "compile",
    // deno.json's manual node_modules makes deno compile embed the whole node_modules tree (deno, buf,
    // playwright: 240 MB), with --bundle too (Deno 2.9.6); main() compiles `deno bundle`'s output instead.
    ...(options.bundle ? ["--bundle"] : []),
    // For an entry that is already one bundled file: deno.json's node_modules must not be embedded.
    ...(options.noConfig ? ["--no-config"] : []),
    ...spec.permissions,
    ...spec.include.flatMap((path) => ["--include", path]),
    // Embedded variables are defaults: the runtime sets them only when the environment lacks them.
    ...(options.envFile ? [`--env-file=${options.envFile}`] : []),
    "--app-name",
    name,
    "--target",
    targets[arch],
    "-o",
    `${options.outDir}/${name}-${arch}`,
    spec.entry,
  ];
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    return await Deno.realPath(a) === await Deno.realPath(b);
  } catch {
    return false;
  }
}

/** The DENO_DIR this deno uses (where deno compile looks for cached runtimes). */
export async function denoDir(): Promise<string> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    cwd: root,
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(new TextDecoder().decode(stdout)).denoDir;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      target: { type: "string", default: "all" },
      "out-dir": { type: "string", default: "dist" },
      unbundled: { type: "boolean", default: false },
    },
  });
  const arches: Arch[] = values.target === "all" ? ["x86_64", "aarch64"] : [values.target as Arch];
  if (!arches.every((arch) => arch in targets)) throw new Error(`--target must be x86_64, aarch64 or all`);
  const selected = selectBinaries(positionals);

  const version = Deno.version.deno;
  const options = {
    denortBin: Deno.env.get("DENORT_BIN"),
    denoDir: await denoDir(),
    version,
    probe: probeUrl,
  };
  const runtimes = new Map<Arch, Runtime>();
  for (const arch of arches) runtimes.set(arch, await resolveRuntime(arch, options));
  const missing = [...runtimes].flatMap(([arch, r]): [Arch, string][] =>
    r.source === "missing" ? [[arch, r.reason]] : []
  );
  if (missing.length) {
    console.error(missingMessage(missing, options.denoDir, version));
    return 1;
  }

  const commit = await gitCommit();
  const temporary = await Deno.makeTempDir({ prefix: "ctpf-compile-" });
  try {
    const envFile = commit ? `${temporary}/commit.env` : undefined;
    if (envFile) await Deno.writeTextFile(envFile, `CTPF_COMMIT=${commit}\n`);
    const outDir = resolve(root, values["out-dir"]);
    await Deno.mkdir(outDir, { recursive: true });
    // deno compile --bundle still embeds deno.json's whole node_modules (240 MB, tested with Deno 2.9.6);
    // compiling the file `deno bundle` makes, with --no-config, embeds that one file (about 1 MB).
    const bundles = new Map<string, string>();
    if (!values.unbundled) {
      for (const [name, spec] of selected) {
        bundles.set(name, `${temporary}/${name}.js`);
        await bundleProgram(spec, bundles.get(name)!);
      }
    }
    for (const arch of arches) {
      const runtime = runtimes.get(arch)!;
      const env = Deno.env.toObject();
      delete env.DENORT_BIN; // it would override the cached runtime of a target it does not fit
      if (runtime.source === "DENORT_BIN") env.DENORT_BIN = runtime.from;
      if (runtime.source !== "missing") {
        console.log(`compile: ${targets[arch]} with denort from ${runtime.from}`);
      }
      for (const [name, spec] of selected) {
        const flags = { outDir, envFile, bundle: false, noConfig: !values.unbundled };
        const program = values.unbundled ? spec : { ...spec, entry: bundles.get(name)! };
        const { code } = await new Deno.Command(Deno.execPath(), {
          args: compileArgs(name, program, arch, flags),
          cwd: root,
          env,
          clearEnv: true,
          stdout: "inherit",
          stderr: "inherit",
        }).output();
        if (code !== 0) {
          console.error(`compile: deno compile of ${name} for ${targets[arch]} failed (exit code ${code})`);
          return 1;
        }
        const { size } = await Deno.stat(`${outDir}/${name}-${arch}`);
        console.log(`compile: ${outDir}/${name}-${arch} (${(size / 2 ** 20).toFixed(1)} MiB)`);
      }
    }
  } finally {
    await Deno.remove(temporary, { recursive: true });
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`compile: ${error instanceof Error ? error.message : error}`);
    Deno.exit(2);
  }
}
