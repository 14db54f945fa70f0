// The controller's own gloeth, when the user names none: the launcher of the release's archive for this
// machine's architecture, unpacked once into the cache (a folder per archive digest, so a new release
// never runs an old program). The archive was checked against SHA256SUMS when the release was read.
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { readTar } from "../../archive/tar.ts";
import { inArchive } from "../../../scripts/release/layout.ts";
import type { Architecture } from "../ssh/facts.ts";
import type { GloethRelease } from "./release.ts";

/** This machine's architecture in the release's words, or undefined when the release has no such build. */
export function controllerArch(): Architecture | undefined {
  const arch = Deno.build.arch as string;
  return arch === "x86_64" || arch === "aarch64" ? arch : undefined;
}

/** Writes the archive's files under `into` (only those inside its own folder: no path leaves it). */
async function unpack(bytes: Uint8Array, folder: string, into: string): Promise<void> {
  for (const entry of readTar(new Uint8Array(gunzipSync(bytes)))) {
    const parts = entry.name.split("/");
    if (parts[0] !== folder || parts.some((part) => part === ".." || part === "")) {
      throw new Error(`the gloeth archive holds ${JSON.stringify(entry.name)}, outside ${folder}/`);
    }
    const path = join(into, entry.name);
    if (entry.type === "directory") await Deno.mkdir(path, { recursive: true, mode: 0o755 });
    else if (entry.type === "file") {
      await Deno.writeFile(path, entry.content ?? new Uint8Array(), { mode: entry.mode ?? 0o644 });
      await Deno.chmod(path, (entry.mode ?? 0o644) & 0o755);
    }
  }
}

/** The command that runs gloeth here, unpacking the release's archive into `cacheDir` when needed. */
export async function controllerGloeth(release: GloethRelease, cacheDir: string): Promise<string[]> {
  const arch = controllerArch();
  const archive = arch ? release.archives[arch] : undefined;
  if (!archive) {
    throw new Error(
      `the release has no gloeth archive for this machine (${Deno.build.arch}); ` +
        `name a gloeth to run here with --gloeth`,
    );
  }
  const dir = join(cacheDir, archive.sha256.slice(0, 16));
  const launcher = join(dir, archive.folder, inArchive.launcher("gloeth"));
  if (await Deno.stat(launcher).then((stat) => stat.isFile, () => false)) return [launcher];
  await Deno.mkdir(cacheDir, { recursive: true, mode: 0o700 });
  // Unpacked beside, then renamed: a run stopped half-way leaves no half folder that looks complete.
  const partial = await Deno.makeTempDir({ dir: cacheDir, prefix: ".unpacking-" });
  try {
    await unpack(await Deno.readFile(archive.path), archive.folder, partial);
    await Deno.rename(partial, dir);
  } catch (error) {
    await Deno.remove(partial, { recursive: true }).catch(() => {});
    // Another run unpacking the same archive at once got there first: its folder is as good.
    if (!await Deno.stat(launcher).then((stat) => stat.isFile, () => false)) throw error;
  }
  return [launcher];
}
