// For the gloethdeployer's host test: the gloeth release built once into a temp folder (the same script
// as `deno task release`, one binary and one architecture), and gloeth unpacked from it for the controller.
import { join } from "node:path";
import { run } from "../../testing/harness/mod.ts";

const root = new URL("../../../", import.meta.url).pathname;
/** Deno for the archive, fetched once and kept with the test hosts' Debian tree (not in the home folder). */
const releaseCache = join(Deno.env.get("TMPDIR") ?? "/tmp", "ctpf-test-cache", "release");

export interface BuiltRelease {
  dir: string;
  /** The controller's gloeth: the launcher of the unpacked archive. */
  gloeth: string[];
  buildMs: number;
}

export async function buildGloethRelease(dir: string, arch: "x86_64" | "aarch64"): Promise<BuiltRelease> {
  const started = performance.now();
  const out = join(dir, "release");
  await run(
    [
      Deno.execPath(),
      "run",
      "--allow-all",
      join(root, "scripts/release.ts"),
      "--target",
      arch,
      "--out-dir",
      out,
      "--cache-dir",
      releaseCache,
      "gloeth",
    ],
    { timeoutMs: 600_000 },
  );
  const buildMs = Math.round(performance.now() - started);
  const unpacked = join(dir, "controller");
  await Deno.mkdir(unpacked);
  const archive = [...Deno.readDirSync(out)].find((entry) => entry.name.endsWith(".tar.gz"))!.name;
  await run(["tar", "-xzf", join(out, archive), "-C", unpacked]);
  const folder = archive.slice(0, -".tar.gz".length);
  return { dir: out, gloeth: [join(unpacked, folder, "bin/gloeth")], buildMs };
}
