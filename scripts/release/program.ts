// A binary's program for the release: one bundle (the same for every architecture, made by the same
// `deno bundle` step as `deno task bundle`), run once here with --help, which proves it starts and gives
// the one-line summary the unit and the README show.
import type { BinarySpec } from "../../cmd/binaries.ts";
import { bundleProgram } from "../bundle.ts";

export interface Program {
  bundle: Uint8Array<ArrayBuffer>;
  summary: string;
}

export async function releaseProgram(name: string, spec: BinarySpec, workDir: string): Promise<Program> {
  const path = `${workDir}/${name}.js`;
  await bundleProgram(spec, path);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--cached-only", ...spec.permissions, path, "--help"],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`the bundle of ${name} fails --help (exit ${code}): ${new TextDecoder().decode(stderr)}`);
  }
  // The first line is "<name> — <summary>".
  const summary = /^\S+ — (.+)$/m.exec(text)?.[1];
  if (!summary) {
    throw new Error(`${name} --help does not start with "${name} — <summary>": ${text.slice(0, 200)}`);
  }
  return { bundle: await Deno.readFile(path), summary };
}
