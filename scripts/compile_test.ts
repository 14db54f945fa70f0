import { assert, assertEquals, assertMatch } from "../core/testing/assert.ts";
import { binaries } from "../cmd/binaries.ts";
import { assets } from "../web/assets.gen.ts";
import { type Arch, compileArgs, elfArch, missingMessage, resolveRuntime } from "./compile.ts";

const script = new URL("./compile.ts", import.meta.url).pathname;
const host: Arch = Deno.build.arch;
const other: Arch = host === "x86_64" ? "aarch64" : "x86_64";

/** The first bytes of an ELF executable for `arch`: all elfArch and resolveRuntime look at. */
function elfHeader(arch: Arch): Uint8Array {
  const header = new Uint8Array(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  header[18] = arch === "x86_64" ? 0x3e : 0xb7;
  return header;
}

function includes(text: string, part: string) {
  assert(text.includes(part), `${JSON.stringify(part)} is not in ${JSON.stringify(text)}`);
}

const unreachable = () => Promise.resolve("dns error");

Deno.test("elfArch reads e_machine and rejects what is no ELF", () => {
  assertEquals(elfArch(elfHeader("x86_64")), "x86_64");
  assertEquals(elfArch(elfHeader("aarch64")), "aarch64");
  assertEquals(elfArch(new TextEncoder().encode("#!/bin/sh\necho not a runtime\n")), undefined);
  using deno = Deno.openSync(Deno.execPath());
  const header = new Uint8Array(20);
  deno.readSync(header);
  assertEquals(elfArch(header), host);
});

Deno.test("resolveRuntime: DENORT_BIN serves only its own architecture, then the cache, then the CDN", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const denortBin = `${dir}/denort`;
    await Deno.writeFile(denortBin, elfHeader(host));
    const base = { denortBin, denoDir: `${dir}/deno`, version: "2.9.6", probe: unreachable };
    assertEquals(await resolveRuntime(host, base), { source: "DENORT_BIN", from: denortBin });

    const missing = await resolveRuntime(other, base);
    assertEquals(missing.source, "missing");
    if (missing.source === "missing") includes(missing.reason, `DENORT_BIN is for ${host}; not cached`);

    const zip = `${dir}/deno/dl/release/v2.9.6/denort-${other}-unknown-linux-gnu.zip`;
    await Deno.mkdir(`${dir}/deno/dl/release/v2.9.6`, { recursive: true });
    await Deno.writeFile(zip, new Uint8Array(4));
    assertEquals(await resolveRuntime(other, base), { source: "cache", from: zip });

    const probed: string[] = [];
    const probe = (url: string) => (probed.push(url), Promise.resolve(undefined));
    const url = `https://dl.deno.land/release/v2.9.6/denort-${host}-unknown-linux-gnu.zip`;
    assertEquals(await resolveRuntime(host, { ...base, denortBin: undefined, probe }), {
      source: "download",
      from: url,
    });
    assertEquals(probed, [url]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveRuntime refuses a DENORT_BIN that is missing, no executable, or deno itself", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/text`, "not a runtime");
    const base = { denoDir: dir, version: "2.9.6", probe: unreachable };
    for (
      const [denortBin, expected] of [[`${dir}/absent`, "cannot be read"], [`${dir}/text`, "no x86_64"], [
        Deno.execPath(),
        "deno itself",
      ]]
    ) {
      const runtime = await resolveRuntime(host, { ...base, denortBin });
      assertEquals(runtime.source, "missing");
      if (runtime.source === "missing") includes(runtime.reason, expected);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compileArgs passes permissions, includes, target and output, entry last", () => {
  const spec = { entry: "cmd/x.ts", permissions: ["--allow-net", "--allow-read"], include: ["wasm/x.wasm"] };
  const args = compileArgs("x", spec, "aarch64", { outDir: "/out", envFile: "/tmp/e.env", bundle: true });
  assertEquals(args, [
    "compile",
    "--bundle",
    "--allow-net",
    "--allow-read",
    "--include",
    "wasm/x.wasm",
    "--env-file=/tmp/e.env",
    "--app-name",
    "x",
    "--target",
    "aarch64-unknown-linux-gnu",
    "-o",
    "/out/x-aarch64",
    "cmd/x.ts",
  ]);
});

Deno.test("missingMessage says what is missing and the three ways to provide it", () => {
  const text = missingMessage([["aarch64", "not cached"]], "/cache/deno", "2.9.6");
  includes(text, "aarch64-unknown-linux-gnu (not cached)");
  includes(text, "DENORT_BIN=/path/to/denort");
  includes(text, "/cache/deno/dl/release/v2.9.6/denort-<target>.zip");
  includes(text, "machine that reaches dl.deno.land");
});

async function runCompile(args: string[], denortBin: string) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, ...args],
    env: { DENORT_BIN: denortBin, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, output: decode(stdout) + decode(stderr) };
}

Deno.test("compile stops before building, with the message, when a runtime is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/denort`, "not a runtime");
    const { code, output } = await runCompile(["--target", host, "--out-dir", dir], `${dir}/denort`);
    assertEquals(code, 1);
    assertMatch(output, /nothing was built: no Deno runtime .* is no x86_64 or aarch64 executable/);
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["denort"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A real deno compile run against a stand-in runtime (any executable of the host architecture): it checks
// that deno compile accepts every flag the script passes and embeds the program, its web assets and commit.
Deno.test("compile builds every binary with a DENORT_BIN of the host architecture", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { code, output } = await runCompile(["--target", host, "--out-dir", dir], "/bin/true");
    assertEquals(code, 0, output);
    for (const [name, spec] of Object.entries(binaries)) {
      const binary = await Deno.readFile(`${dir}/${name}-${host}`);
      assertEquals(elfArch(binary.subarray(0, 20)), host);
      const text = new TextDecoder("latin1").decode(binary);
      // A tool (a deployer) has no web UI.
      if (!spec.tool) includes(text, assets["/"].etag);
      assertMatch(text, /CTPF_COMMIT[\s\S]{0,16}[0-9a-f]{40}/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
