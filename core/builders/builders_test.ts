import { join } from "node:path";
import { writeTar } from "../archive/tar.ts";
import { FieldErrors } from "../errors/field_errors.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/assert.ts";
import { rootTest } from "../testing/harness/root.ts";
import { BUILD_LABEL } from "./builders.ts";
import { BOOT_TOOLS } from "./base_images.ts";
import type { BuilderKind } from "./kind.ts";
import { chainScript } from "./kinds/ipxe.ts";
import { finished, startBuilders, until } from "./testing/fixture.ts";

const tools = ["dockerd", "debootstrap", "unshare"];
const chainUrl = "http://10.0.0.1:8470/boot/install.ipxe";

rootTest({
  name: "builders: ipxe prebuilt end to end on a test dockerd; the identical second build hits the cache",
  tools,
  sanitizeResources: false,
  fn: async () => {
    await using fixture = await startBuilders();
    const { builders, dockerd } = fixture;
    const parameters = { name: "lab", targets: ["ipxe.efi", "undionly.kpxe"], chainUrl };

    const coldStart = performance.now();
    const first = await finished(builders, builders.create("ipxe", parameters, "test").id);
    const coldMs = performance.now() - coldStart;
    assertEquals(first.state, "succeeded", first.error);
    const names = first.artifacts.map((a) => a.name).sort();
    assertEquals(names, ["boot.ipxe", "ipxe.efi", "undionly.kpxe"]);
    // The loaders are Debian's own, byte for byte (the host has the same bookworm package).
    for (const target of ["ipxe.efi", "undionly.kpxe"]) {
      const artifact = first.artifacts.find((a) => a.name === target)!;
      const built = await fixture.artifacts.read(artifact.sha256);
      assertEquals(built, await Deno.readFile(`/usr/lib/ipxe/${target}`), target);
      assertEquals(artifact.size, built!.length);
      assertEquals(artifact.publishedPath, `builds/lab/${target}`);
    }
    const script = first.artifacts.find((a) => a.name === "boot.ipxe")!;
    assertEquals(
      new TextDecoder().decode(await fixture.artifacts.read(script.sha256)),
      chainScript(chainUrl),
    );
    assertEquals(
      await Deno.readTextFile(join(fixture.publisher.dir, "builds/lab/boot.ipxe")),
      chainScript(chainUrl),
    );
    const run = first.steps.find((s) => s.name.includes("RUN cp"))!;
    assertEquals(run.cached, false);
    const sums = first.steps.find((s) => s.name.includes("sha256sum"))!;
    assert(sums.log.includes("./ipxe.efi"), sums.log);

    const warmStart = performance.now();
    const second = await finished(builders, builders.create("ipxe", parameters, "test").id);
    const warmMs = performance.now() - warmStart;
    assertEquals(second.state, "succeeded", second.error);
    const dockerfileSteps = second.steps.filter((s) =>
      /^\[(build|stage-1) /.test(s.name) && !s.name.includes("FROM")
    );
    assert(
      dockerfileSteps.length >= 3 && dockerfileSteps.every((s) => s.cached),
      JSON.stringify(second.steps),
    );
    assertEquals(second.artifacts.map((a) => a.sha256).sort(), first.artifacts.map((a) => a.sha256).sort());
    console.log(
      `ipxe prebuilt: cold ${coldMs.toFixed(0)} ms (base image included), cached ${warmMs.toFixed(0)} ms`,
    );

    // Nothing of either build is left on the daemon: only the base image.
    assertEquals(await dockerd.engine.listContainers(), []);
    assertEquals((await dockerd.engine.listImages()).flatMap((i) => i.tags), [BOOT_TOOLS.tag]);
  },
});

/** A kind that takes its time, so a build can be cancelled while a step runs. */
const slowKind: BuilderKind = {
  name: "slow",
  title: "Slow",
  description: "sleeps in a RUN step",
  baseImages: [BOOT_TOOLS],
  fields: [{ name: "seconds", title: "Seconds", description: "", type: "string", pattern: /^\d{1,3}$/ }],
  template: (parameters) => ({
    dockerfile: `FROM ${BOOT_TOOLS.tag}\nRUN echo started && sleep ${parameters.seconds} && mkdir /out\n`,
    files: [],
  }),
  publishFolder: () => "builds/slow",
};

rootTest({
  name: "builders: a cancelled build stops at once and leaves no container, image or artifact",
  tools,
  sanitizeResources: false,
  fn: async () => {
    await using fixture = await startBuilders([slowKind]);
    const { builders, dockerd } = fixture;
    const build = builders.create("slow", { seconds: "120" }, "test");
    await until(builders, build.id, (b) => b.steps.some((s) => s.log.includes("started")), 300_000);
    const cancelledAt = performance.now();
    builders.cancel(build.id);
    const done = await finished(builders, build.id, 30_000);
    console.log(`cancel took ${(performance.now() - cancelledAt).toFixed(0)} ms`);
    assertEquals(done.state, "cancelled");
    assertEquals(done.artifacts, []);
    assertEquals(await fixture.artifacts.list(), []);
    assertEquals(await dockerd.engine.listContainers(), []);
    assertEquals(await dockerd.engine.listImages(`${BUILD_LABEL}=${build.id}`), []);
    assertEquals((await dockerd.engine.listImages()).flatMap((i) => i.tags), [BOOT_TOOLS.tag]);
    // The sleeping step's process is killed (BuildKit's executor notices the cancel on its own time).
    const sleeping = async () =>
      new TextDecoder().decode(
        (await new Deno.Command("pgrep", { args: ["-f", "^sleep 120$"] }).output()).stdout,
      )
        .trim();
    let waited = 0;
    while (await sleeping() !== "" && waited < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      waited += 100;
    }
    assertEquals(await sleeping(), "", "sleep 120 still running 10 s after the cancel");
    console.log(
      `the step's process was gone ${(performance.now() - cancelledAt).toFixed(0)} ms after the cancel`,
    );
    assertThrows(() => builders.cancel(build.id), Error, "already cancelled");
  },
});

rootTest({
  name: "builders: bad parameters are refused with every field named before anything runs",
  tools,
  sanitizeResources: false,
  fn: async () => {
    await using fixture = await startBuilders();
    const { builders } = fixture;
    const refused = (kind: string, parameters: unknown) => {
      const error = assertThrows(() => builders.create(kind, parameters, "test"), FieldErrors) as FieldErrors;
      return error.errors;
    };
    assertEquals(refused("nope", {}).map((e) => e.field), ["kind"]);
    assertEquals(refused("ipxe", "x").map((e) => e.field), ["parameters"]);
    assertEquals(
      refused("ipxe", {
        name: "Bad Name",
        targets: ["ipxe.efi", "floppy", "ipxe.efi"],
        chainUrl: "http://x/a b\nshell",
        extra: 1,
      }).map((e) => e.field).sort(),
      [
        "parameters.chainUrl",
        "parameters.extra",
        "parameters.name",
        "parameters.targets[1]",
        "parameters.targets[2]",
      ],
    );
    assertEquals(refused("ipxe", { targets: [] }).map((e) => e.field).sort(), [
      "parameters.chainUrl",
      "parameters.name",
    ]);
    assertEquals(refused("ipxe", { name: "a", chainUrl, targets: ["arm64/ipxe.efi"] }), [
      { field: "parameters.targets[0]", message: "Debian ships no prebuilt arm64/ipxe.efi" },
    ]);
    assertEquals(refused("ipxe", { name: "a", chainUrl, mode: "source" }).map((e) => e.field), [
      "parameters.mode",
    ]);
    assertEquals(builders.list(), [], "nothing recorded");
    assertEquals(await fixture.dockerd.engine.listImages(), [], "nothing reached the daemon");
    await assertRejects(() => builders.delete("missing"));
  },
});

rootTest({
  name: "builders: at start, builds a stopped process left running are failed and their leftovers removed",
  tools,
  sanitizeResources: false,
  fn: async () => {
    await using fixture = await startBuilders();
    const { builders, dockerd, repository } = fixture;
    const id = crypto.randomUUID();
    repository.save({
      id,
      kind: "ipxe",
      parameters: {},
      state: "running",
      createdAt: Date.now(),
      steps: [],
      artifacts: [],
      createdBy: "test",
    });
    // What a build killed between its image and its copy-out leaves: a labelled image and container.
    const labels = { [BUILD_LABEL]: id };
    const context = writeTar([{
      name: "Dockerfile",
      type: "file",
      content: new TextEncoder().encode("FROM scratch\nLABEL x=y\n"),
    }]);
    for await (const _ of dockerd.engine.build(context, { tag: `ctpf-build:${id}`, labels })) {
      /* progress */
    }
    await dockerd.engine.createContainer(`ctpf-build:${id}`, labels);
    assertEquals((await dockerd.engine.listContainers(`${BUILD_LABEL}=${id}`)).length, 1);

    await builders.start();
    const build = builders.get(id);
    assertEquals([build.state, build.error], ["failed", "interrupted by a restart"]);
    assertEquals(await dockerd.engine.listContainers(), []);
    assertEquals(await dockerd.engine.listImages(), []);
  },
});
