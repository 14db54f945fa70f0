import { assertEquals, assertMatch, assertThrows } from "../core/testing/assert.ts";
import { binaries } from "../cmd/binaries.ts";
import { assets } from "../web/assets.gen.ts";
import { launcherScript, missingAssets, selectBinaries } from "./bundle.ts";

Deno.test("selectBinaries picks the named ones, all by default, and rejects unknown names", () => {
  assertEquals(selectBinaries([]).map(([name]) => name), Object.keys(binaries));
  assertEquals(selectBinaries(["ctpf"]).map(([name]) => name), ["ctpf"]);
  assertMatch(String(assertThrows(() => selectBinaries(["ctpf", "nope"]))), /unknown binary nope/);
});

Deno.test("missingAssets finds the web assets a bundle lacks", () => {
  assertEquals(missingAssets(""), Object.keys(assets));
  assertEquals(missingAssets(Object.values(assets).map((asset) => asset.etag).join(" ")), []);
});

// The launcher is run for real with a stand-in deno that prints what it was given.
Deno.test("the launcher runs its bundle with the permissions, the arguments and a default commit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spec = { entry: "cmd/x.ts", permissions: ["--allow-net", "--allow-read=/a b"], include: [] };
    await Deno.writeTextFile(`${dir}/x`, launcherScript("x", spec, "abc123"), { mode: 0o755 });
    await Deno.writeTextFile(`${dir}/deno`, '#!/bin/sh\necho "$CTPF_COMMIT"\nprintf "%s\\n" "$@"\n', {
      mode: 0o755,
    });
    const run = async (env: Record<string, string>) => {
      const { code, stdout } = await new Deno.Command(`${dir}/x`, {
        args: ["--listen", "a b"],
        env: { DENO: `${dir}/deno`, ...env },
        stdout: "piped",
      }).output();
      assertEquals(code, 0);
      return new TextDecoder().decode(stdout).trimEnd().split("\n");
    };
    assertEquals(await run({}), [
      "abc123",
      "run",
      "--no-config",
      "--allow-net",
      "--allow-read=/a b",
      `${dir}/x.js`,
      "--listen",
      "a b",
    ]);
    assertEquals((await run({ CTPF_COMMIT: "mine" }))[0], "mine");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
