// Deno for each target architecture, taken from the npm registry: the `deno` npm package we already install
// ships its executables as @deno/linux-x64-glibc and @deno/linux-arm64-glibc. `npm pack` fetches a package
// through the user's npm configuration (registry, proxy, cache) and checks its integrity against the
// registry's metadata, so no download code or trust decision of ours is involved.
import { readTar } from "../../core/archive/tar.ts";
import { type Arch, elfArch } from "../compile.ts";

export const npmPackage: Record<Arch, string> = {
  x86_64: "@deno/linux-x64-glibc",
  aarch64: "@deno/linux-arm64-glibc",
};

/** Where the release keeps what it fetched between runs ($XDG_CACHE_HOME/ctpf/release). */
export function defaultCacheDir(): string {
  const base = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
  return `${base}/ctpf/release`;
}

export interface DenoRuntime {
  arch: Arch;
  version: string;
  /** The unpacked executable in the cache. */
  path: string;
  /** npm's integrity string of the package it came from (sha512-…). */
  integrity: string;
}

/**
 * Deno `version` for `arch`, unpacked into `cacheDir` once. A cached executable is used only beside the
 * integrity file written after a complete fetch, so an interrupted run cannot leave a half file in use.
 */
export async function denoRuntime(arch: Arch, version: string, cacheDir: string): Promise<DenoRuntime> {
  const dir = `${cacheDir}/deno-${version}-${arch}`;
  const path = `${dir}/deno`;
  const integrityFile = `${dir}/integrity`;
  const cached = await Deno.readTextFile(integrityFile).catch(() => undefined);
  if (cached) return { arch, version, path, integrity: cached.trim() };

  await Deno.mkdir(dir, { recursive: true });
  const spec = `${npmPackage[arch]}@${version}`;
  const { code, stdout, stderr } = await new Deno.Command("npm", {
    args: ["pack", spec, "--pack-destination", dir, "--json", "--prefer-offline", "--loglevel=error"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (code !== 0) throw new Error(`npm pack ${spec} failed (exit ${code}): ${decode(stderr).trim()}`);
  const [packed] = JSON.parse(decode(stdout)) as { filename: string; integrity: string }[];
  const tarball = `${dir}/${packed.filename}`;
  try {
    const executable = await denoFromTarball(await Deno.readFile(tarball), spec);
    const machine = elfArch(executable.subarray(0, 20));
    if (machine !== arch) {
      throw new Error(`${spec}'s deno is for ${machine ?? "no known machine"}, not ${arch}`);
    }
    await Deno.writeFile(path, executable, { mode: 0o755 });
    await Deno.chmod(path, 0o755);
    await Deno.writeTextFile(integrityFile, `${packed.integrity}\n`);
  } finally {
    await Deno.remove(tarball).catch(() => {});
  }
  return { arch, version, path, integrity: packed.integrity };
}

/** The `package/deno` file of an npm package tarball (gzip'd tar). */
async function denoFromTarball(tgz: Uint8Array<ArrayBuffer>, spec: string): Promise<Uint8Array> {
  const tar = await new Response(new Blob([tgz]).stream().pipeThrough(new DecompressionStream("gzip")))
    .bytes();
  const entry = readTar(tar).find((entry) => entry.name === "package/deno" && entry.type === "file");
  if (!entry?.content) throw new Error(`${spec} has no package/deno`);
  return entry.content;
}
