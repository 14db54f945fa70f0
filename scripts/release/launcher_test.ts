import { assertEquals } from "../../core/testing/assert.ts";
import { releaseLauncher } from "./launcher.ts";

// The launcher is run for real, from an archive-shaped folder whose lib/deno is a stand-in that prints
// what it was given, and through a symlink elsewhere (how /usr/local/bin/<name> would point at it).
Deno.test("the release launcher runs lib/deno on lib/<name>.js with the permissions, also through a symlink", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spec = { entry: "cmd/x.ts", permissions: ["--allow-net", "--allow-read=/a b"], include: [] };
    await Deno.mkdir(`${dir}/x-1/bin`, { recursive: true });
    await Deno.mkdir(`${dir}/x-1/lib`);
    await Deno.mkdir(`${dir}/usr-bin`);
    const facts = { version: "0.1.0", denoVersion: "2.9.6", commit: "abc123" };
    await Deno.writeTextFile(`${dir}/x-1/bin/x`, releaseLauncher("x", spec, facts), { mode: 0o755 });
    const printArgs = '#!/bin/sh\necho "$0|$CTPF_COMMIT|$DENO_NO_UPDATE_CHECK"\nprintf "%s\\n" "$@"\n';
    await Deno.writeTextFile(`${dir}/x-1/lib/deno`, printArgs, { mode: 0o755 });
    await Deno.symlink(`${dir}/x-1/bin/x`, `${dir}/usr-bin/x`);
    const run = async (launcher: string, env: Record<string, string> = {}) => {
      const { code, stdout } = await new Deno.Command(launcher, {
        args: ["--listen", "a b"],
        env,
        clearEnv: true,
        stdout: "piped",
      }).output();
      assertEquals(code, 0);
      return new TextDecoder().decode(stdout).trimEnd().split("\n");
    };
    const expected = (deno: string, commit = "abc123") => [
      `${deno}|${commit}|1`,
      "run",
      "--no-config",
      "--cached-only",
      "--allow-net",
      "--allow-read=/a b",
      `${dir}/x-1/bin/../lib/x.js`,
      "--listen",
      "a b",
    ];
    assertEquals(await run(`${dir}/x-1/bin/x`), expected(`${dir}/x-1/bin/../lib/deno`));
    assertEquals(await run(`${dir}/usr-bin/x`), expected(`${dir}/x-1/bin/../lib/deno`));
    await Deno.writeTextFile(`${dir}/other-deno`, printArgs, { mode: 0o755 });
    assertEquals(
      await run(`${dir}/usr-bin/x`, { DENO: `${dir}/other-deno`, CTPF_COMMIT: "mine" }),
      expected(`${dir}/other-deno`, "mine"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
