import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writeTar } from "../../archive/tar.ts";
import { assert, assertEquals, assertRejects } from "../../testing/assert.ts";
import { SshError } from "../ssh/errors.ts";
import type { HostOutcome } from "../ssh/run_hosts.ts";
import { hostSummaries } from "./command.ts";
import { controllerArch, controllerGloeth } from "./controller_gloeth.ts";
import type { GloethDeployResult } from "./deploy.ts";
import type { MeshReach } from "./mesh_check.ts";
import type { GloethRelease } from "./release.ts";
import { findReleaseDir, releaseDirCandidates } from "./release_dir.ts";

Deno.test("gloethdeployer's release folder: beside its own archive, else the source's dist/release, else ./dist/release", async () => {
  assertEquals(
    releaseDirCandidates(
      "file:///srv/rel/gloethdeployer-0.1.0-linux-x86_64/lib/gloethdeployer.js",
      "/home/me",
    ),
    ["/srv/rel", "/home/me/dist/release"],
  );
  assertEquals(releaseDirCandidates("file:///repo/cmd/gloethdeployer.ts", "/repo"), ["/repo/dist/release"]);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "b"));
    await Deno.writeTextFile(join(dir, "b", "SHA256SUMS"), "");
    assertEquals(await findReleaseDir([join(dir, "a"), join(dir, "b")]), join(dir, "b"));
    const error = await assertRejects(() => findReleaseDir([join(dir, "a")]));
    assert(error.message.includes(`in ${join(dir, "a")}; name one with --release`), error.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function archiveWith(folder: string, extra: { name: string; content: string }[] = []): Uint8Array {
  const encoder = new TextEncoder();
  return gzipSync(writeTar([
    { name: folder, type: "directory" },
    { name: `${folder}/bin`, type: "directory" },
    {
      name: `${folder}/bin/gloeth`,
      type: "file",
      mode: 0o755,
      content: encoder.encode('#!/bin/sh\necho gloeth "$@"\n'),
    },
    ...extra.map((entry) => ({
      name: entry.name,
      type: "file" as const,
      content: encoder.encode(entry.content),
    })),
  ]));
}

Deno.test("the controller's gloeth: the release's archive for this machine, unpacked once per digest; nothing outside its folder", async () => {
  const arch = controllerArch();
  assert(arch, `no release architecture for ${Deno.build.arch}`);
  const dir = await Deno.makeTempDir();
  try {
    const folder = `gloeth-0.1.0-linux-${arch}`;
    const release = (path: string, sha256: string): GloethRelease => ({
      version: "0.1.0",
      archives: { [arch]: { arch, path, file: `${folder}.tar.gz`, folder, sha256, size: 0, unitText: "" } },
    });
    await Deno.writeFile(join(dir, "good.tar.gz"), archiveWith(folder));
    const cache = join(dir, "cache");
    const command = await controllerGloeth(release(join(dir, "good.tar.gz"), "a".repeat(64)), cache);
    assertEquals(command, [join(cache, "a".repeat(16), folder, "bin/gloeth")]);
    const ran = await new Deno.Command(command[0], { args: ["node-init"], stdout: "piped" }).output();
    assertEquals(new TextDecoder().decode(ran.stdout), "gloeth node-init\n");
    assertEquals((await Deno.stat(cache)).mode! & 0o777, 0o700);
    // Unpacked already: the same command, the file not written again.
    const before = (await Deno.stat(command[0])).mtime;
    assertEquals(await controllerGloeth(release(join(dir, "good.tar.gz"), "a".repeat(64)), cache), command);
    assertEquals((await Deno.stat(command[0])).mtime, before);

    await Deno.writeFile(
      join(dir, "bad.tar.gz"),
      archiveWith(folder, [{ name: "escape", content: "x" }]),
    );
    const error = await assertRejects(() =>
      controllerGloeth(release(join(dir, "bad.tar.gz"), "b".repeat(64)), cache)
    );
    assert(error.message.includes("outside"), error.message);
    assertEquals(await Deno.stat(join(cache, "escape")).then(() => true, () => false), false);
    assertEquals([...Deno.readDirSync(cache)].map((entry) => entry.name), ["a".repeat(16)]);

    const none = await assertRejects(() => controllerGloeth({ version: "0.1.0", archives: {} }, cache));
    assert(none.message.includes("--gloeth"), none.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gloethdeployer's summary: a host that finished but misses a node over the overlay counts as failed", () => {
  const outcome = <T>(host: string, fields: Partial<HostOutcome<T>> = {}): HostOutcome<T> => ({
    host,
    ok: true,
    steps: [],
    changed: false,
    log: [],
    durationMs: 10,
    ...fields,
  });
  const result = {
    hosts: [
      outcome<void>("ga"),
      outcome<void>("gb"),
      outcome<void>("gc"),
      outcome<void>("gd", { ok: false, error: new SshError("auth", "gd", "refused every key") }),
    ],
    mesh: [
      outcome<MeshReach>("ga", { value: { reached: ["10.200.0.2"], missing: ["10.200.0.3"] } }),
      outcome<MeshReach>("gb", { value: { reached: ["10.200.0.1", "10.200.0.3"], missing: [] } }),
      outcome<MeshReach>("gc", { ok: false, error: new SshError("timeout", "gc", "no answer") }),
    ],
  } as unknown as GloethDeployResult;
  assertEquals(
    hostSummaries(result).map((row) => [row.host, row.status, row.error?.kind, row.error?.message]),
    [
      ["ga", "failed", "mesh", "ga: cannot reach 10.200.0.3 over the overlay (reached 10.200.0.2)"],
      ["gb", "ok", undefined, undefined],
      ["gc", "failed", "mesh", "gc: no answer"],
      ["gd", "failed", "auth", "gd: refused every key"],
    ],
  );
});
