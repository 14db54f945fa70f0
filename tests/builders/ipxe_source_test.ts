// The ipxe kind's source mode: iPXE's own source cannot be fetched here (Debian's mirror serves its .dsc
// but not the tarball), so the compile path is run on a stand-in, named as such: a source tree with
// iPXE's build interface (src/Makefile; goals bin/*.kpxe, bin-x86_64-efi/*.efi, bin-arm64-efi/*.efi;
// EMBED= and CROSS=) whose loaders are tiny freestanding programs. What it checks is ours: the tarball
// fetched from its URL and unpacked, make run per cross prefix with the script embedded, each goal
// copied to its target and published; it says nothing about iPXE's own sources compiling.
import { join } from "node:path";
import { assert, assertEquals } from "../../core/testing/assert.ts";
import { rootTest } from "../../core/testing/harness/root.ts";
import { chainScript } from "../../core/builders/kinds/ipxe.ts";
import { finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { serveInputs } from "./support/inputs.ts";
import { ipxeStandInTarball } from "./support/ipxe_standin.ts";

/** ELF e_machine: 62 x86-64, 183 AArch64. */
function elfMachine(bytes: Uint8Array): number {
  assertEquals([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], "an ELF file");
  return new DataView(bytes.buffer, bytes.byteOffset).getUint16(18, true);
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

rootTest({
  name: "builders: ipxe source mode fetches the tarball, runs make per target with the script embedded " +
    "(arm64 through the cross gcc) on a stand-in source tree",
  tools: ["dockerd", "debootstrap", "unshare", "tar"],
  sanitizeResources: false,
  fn: async () => {
    const inputsDir = await Deno.makeTempDir({ prefix: "ctpf-ipxe-source-" });
    try {
      const tarball = await ipxeStandInTarball(inputsDir);
      await using inputs = serveInputs(inputsDir);
      await using fixture = await startBuilders();
      const chainUrl = "http://10.0.0.1:8470/boot/${mac}.ipxe";
      const parameters = {
        name: "from-source",
        mode: "source",
        targets: ["ipxe.efi", "undionly.kpxe", "arm64/ipxe.efi"],
        chainUrl,
        sourceUrl: inputs.url(tarball),
      };
      const started = performance.now();
      const build = await finished(fixture.builders, fixture.builders.create("ipxe", parameters, "test").id);
      const coldMs = performance.now() - started;
      assertEquals(build.state, "succeeded", `${build.error}\n${build.steps.map((s) => s.log).join("\n")}`);
      assertEquals(build.artifacts.map((a) => a.name).sort(), [
        "arm64/ipxe.efi",
        "boot.ipxe",
        "ipxe.efi",
        "undionly.kpxe",
      ]);
      const script = new TextEncoder().encode(chainScript(chainUrl));
      const machines: Record<string, number> = {};
      for (const artifact of build.artifacts) {
        const bytes = (await fixture.artifacts.read(artifact.sha256))!;
        assertEquals(
          await Deno.readFile(join(fixture.publisher.dir, "builds/from-source", artifact.name)),
          bytes,
          `${artifact.name} published`,
        );
        if (artifact.name === "boot.ipxe") continue;
        machines[artifact.name] = elfMachine(bytes);
        assert(contains(bytes, script), `${artifact.name} embeds the chain script`);
      }
      assertEquals(machines, { "arm64/ipxe.efi": 183, "ipxe.efi": 62, "undionly.kpxe": 62 });
      const makes = build.steps.filter((s) => s.name.includes("make -j"));
      assertEquals(makes.length, 2, "one make per cross prefix");
      assert(makes.some((s) => s.name.includes("CROSS=aarch64-linux-gnu- bin-arm64-efi/ipxe.efi")));

      const again = performance.now();
      const second = await finished(fixture.builders, fixture.builders.create("ipxe", parameters, "test").id);
      const cachedMs = performance.now() - again;
      assertEquals(second.state, "succeeded", second.error);
      assert(second.steps.filter((s) => s.name.includes("make -j")).every((s) => s.cached));
      assertEquals(
        second.artifacts.map((a) => a.sha256).sort(),
        build.artifacts.map((a) => a.sha256).sort(),
        "the same bytes again",
      );
      console.log(`ipxe source (stand-in): cold ${coldMs.toFixed(0)} ms, cached ${cachedMs.toFixed(0)} ms`);
    } finally {
      await Deno.remove(inputsDir, { recursive: true });
    }
  },
});
