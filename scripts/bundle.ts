// `deno task bundle [binary…]`: one JavaScript file per binary (dist/<name>.js) plus a launcher dist/<name>
// that runs it with the binary's permissions. Unlike `deno compile` this needs no denort runtime, so it
// builds offline and runs wherever Deno 2.9 is installed; CI smoke-tests it (scripts/bundle_smoke.ts).
import { binaries, type BinarySpec } from "../cmd/binaries.ts";
import { assets } from "../web/assets.gen.ts";

export const root = new URL("..", import.meta.url).pathname;

/** The named binaries (all when none are named); unknown names throw so a typo never builds nothing. */
export function selectBinaries(names: string[]): [string, BinarySpec][] {
  const unknown = names.filter((name) => !(name in binaries));
  if (unknown.length) {
    throw new Error(`unknown binary ${unknown.join(", ")} (known: ${Object.keys(binaries).join(", ")})`);
  }
  return Object.entries(binaries).filter(([name]) => !names.length || names.includes(name));
}

/** HEAD's commit, "-dirty" when tracked files differ from it; undefined outside a git checkout. */
export async function gitCommit(): Promise<string | undefined> {
  const git = (...args: string[]) =>
    new Deno.Command("git", { args: ["-C", root, ...args], stdout: "piped", stderr: "null" }).output()
      .catch(() => undefined);
  const head = await git("rev-parse", "HEAD");
  if (!head?.success) return undefined;
  const commit = new TextDecoder().decode(head.stdout).trim();
  const clean = await git("diff", "--quiet", "HEAD", "--");
  return clean?.success ? commit : `${commit}-dirty`;
}

/**
 * The launcher: a POSIX shell script beside the bundle. --no-config keeps a deno.json in the caller's
 * directory from changing how the bundle runs; DENO picks another deno binary; the commit is only a
 * default so an operator's CTPF_COMMIT still wins, as with the compiled binaries.
 */
export function launcherScript(name: string, spec: BinarySpec, commit?: string): string {
  const flags = spec.permissions.map(shellQuote).join(" ");
  return [
    "#!/bin/sh",
    `# ${name}: runs ${name}.js (made by scripts/bundle.ts) with Deno 2.9; set DENO=/path/to/deno to choose it.`,
    ...(commit ? [`: "\${CTPF_COMMIT:=${commit}}"`, "export CTPF_COMMIT"] : []),
    `exec "\${DENO:-deno}" run --no-config ${flags} "$(dirname -- "$0")/${name}.js" "$@"`,
    "",
  ].join("\n");
}

/** One word for a POSIX shell, whatever it contains. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Web assets whose etag is missing from the bundle text: the UI module fell out of the graph. */
export function missingAssets(bundle: string): string[] {
  return Object.entries(assets).filter(([, asset]) => !bundle.includes(asset.etag)).map(([path]) => path);
}

/**
 * The bundle's first lines. npm packages written as CommonJS may read __dirname and __filename, which an
 * ES module bundle lacks (ssh2's Poly1305 module does as it loads: the deployers fail at start without
 * them); given as the bundle's own folder and file, as Node would give the package's.
 */
export const commonJsPrologue = [
  "globalThis.__dirname ??= import.meta.dirname;",
  "globalThis.__filename ??= import.meta.filename;",
  "",
].join("\n");

/**
 * One binary's program as a single JavaScript file at `output` (relative to the repository, or absolute),
 * checked to embed every web asset (services; a tool has no web UI); returns its text. The release
 * (scripts/release.ts) bundles with it too.
 */
export async function bundleProgram(spec: BinarySpec, output: string): Promise<string> {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "deno", "-o", output, spec.entry],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) throw new Error(`deno bundle of ${spec.entry} failed with exit code ${code}`);
  const path = output.startsWith("/") ? output : `${root}${output}`;
  const text = commonJsPrologue + await Deno.readTextFile(path);
  await Deno.writeTextFile(path, text);
  const missing = spec.tool ? [] : missingAssets(text);
  if (missing.length) throw new Error(`${output} lacks the web assets ${missing.join(", ")}`);
  return text;
}

async function bundle(name: string, spec: BinarySpec, commit: string | undefined): Promise<void> {
  const started = performance.now();
  const output = `dist/${name}.js`;
  const text = await bundleProgram(spec, output);
  await Deno.writeTextFile(`${root}dist/${name}`, launcherScript(name, spec, commit), { mode: 0o755 });
  await Deno.chmod(`${root}dist/${name}`, 0o755); // mode applies only when the file is created
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const size = (new TextEncoder().encode(text).length / 1024).toFixed(0);
  console.log(
    `bundled ${name}: ${output} (${size} KiB${spec.tool ? "" : ", web assets included"}) and dist/${name} ` +
      `in ${seconds}s`,
  );
}

if (import.meta.main) {
  try {
    const selected = selectBinaries(Deno.args);
    const commit = await gitCommit();
    await Deno.mkdir(`${root}dist`, { recursive: true });
    for (const [name, spec] of selected) await bundle(name, spec, commit);
  } catch (error) {
    console.error(`bundle: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
