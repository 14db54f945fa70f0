// Where the gloeth release is when the user names none: the folder that holds this command's own
// release archive, unpacked there (the release folder as downloaded: every archive and SHA256SUMS);
// else dist/release of the source tree it runs from; else ./dist/release (where `deno task release`
// writes).
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The folders tried, in order, for a program whose main module is `mainModule`. */
export function releaseDirCandidates(mainModule: string, cwd: string): string[] {
  const candidates: string[] = [];
  if (mainModule.startsWith("file:")) {
    // <release>/<name>-<version>-linux-<arch>/lib/<name>.js, or <repo>/cmd/<name>.ts.
    const moduleDir = dirname(fileURLToPath(mainModule));
    candidates.push(resolve(moduleDir, "..", ".."), resolve(moduleDir, "..", "dist", "release"));
  }
  candidates.push(resolve(cwd, "dist", "release"));
  return [...new Set(candidates)];
}

/** The first candidate holding SHA256SUMS; an error naming them all when none does. */
export async function findReleaseDir(candidates: string[]): Promise<string> {
  for (const dir of candidates) {
    if (await Deno.stat(join(dir, "SHA256SUMS")).then((stat) => stat.isFile, () => false)) return dir;
  }
  throw new Error(
    `no gloeth release found (a folder with SHA256SUMS and the gloeth archives, made by \`deno task ` +
      `release\`) in ${candidates.join(", ")}; name one with --release`,
  );
}
