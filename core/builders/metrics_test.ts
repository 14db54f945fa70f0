// The builders' metrics, moved by builds made through BuildService: in process against a Docker socket
// nobody serves (a build cancelled while queued, one that fails, one a restart interrupted), and on the
// test dockerd (a build that succeeds and stores its artifact).
import { join } from "node:path";
import { BuildService } from "../api/gen/ctpf/v1/builders_pb.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { rootTest } from "../testing/harness/root.ts";
import { inProcessApi } from "../testing/in_process_api.ts";
import { MetricsText } from "../testing/metrics.ts";
import { registerBuildersApi } from "./api.ts";
import { ArtifactStore } from "./artifact_store.ts";
import { Builders } from "./builders.ts";
import { DockerEngine } from "./docker/engine.ts";
import type { BuilderKind } from "./kind.ts";
import { SqliteBuildRepository } from "./store_sqlite.ts";
import { finished, startBuilders, until } from "./testing/fixture.ts";

/** A kind whose template waits for `open` (or the build's cancel), so a build can be held running. */
function gatedKind(): BuilderKind & { open(): void } {
  const gate = Promise.withResolvers<void>();
  return {
    name: "gated",
    title: "Gated",
    description: "waits for the test before its Dockerfile",
    baseImages: [],
    fields: [],
    template: async (_parameters, signal) => {
      await Promise.race([
        gate.promise,
        new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason))),
      ]);
      return { dockerfile: "FROM scratch\n", files: [] };
    },
    publishFolder: () => "builds/gated",
    open: () => gate.resolve(),
  };
}

Deno.test("builders metrics: a build cancelled while queued and one failing without a daemon count by kind and result; running and queued follow", async () => {
  await using api = await inProcessApi();
  const repository = new SqliteBuildRepository(api.store);
  // What a stopped process left: a build running, and a finished one with two artifacts (one shared).
  const artifact = (name: string, sha: string, size: number) => ({ name, sha256: sha.repeat(64), size });
  repository.save({
    id: "left-running",
    kind: "ipxe",
    parameters: {},
    state: "running",
    createdAt: 1,
    steps: [],
    artifacts: [],
    createdBy: "admin",
  });
  repository.save({
    id: "kept",
    kind: "ipxe",
    parameters: {},
    state: "succeeded",
    createdAt: 2,
    steps: [],
    artifacts: [artifact("ipxe.efi", "a", 1000), artifact("undionly.kpxe", "b", 300)],
    createdBy: "admin",
  });
  const engine = new DockerEngine(join(api.dataDir, "no-docker.sock"));
  const kind = gatedKind();
  const builders = new Builders({
    log: api.log,
    engine,
    kinds: [kind],
    baseImageOptions: { cacheDir: join(api.dataDir, "base-images"), mirror: "http://deb.debian.org/debian" },
    repository,
    artifacts: new ArtifactStore(join(api.dataDir, "artifacts")),
    metrics: api.metrics,
  });
  api.serve((router) => registerBuildersApi(router, builders));
  const client = api.client(BuildService);
  const scrape = () => new MetricsText(api.metrics.render());
  try {
    await builders.start();
    assertEquals(builders.get("left-running").state, "failed");
    assertEquals(scrape().value("ctpf_builders_builds_total", { kind: "ipxe", result: "failed" }), 1);
    assertEquals([
      scrape().value("ctpf_builders_artifacts_stored"),
      scrape().value("ctpf_builders_artifact_bytes_stored"),
    ], [
      2,
      1300,
    ]);

    const held = (await client.createBuild({ kind: "gated", parameters: {} })).build!;
    await until(builders, held.id, (build) => build.state === "running", 10_000);
    const waiting = (await client.createBuild({ kind: "gated", parameters: {} })).build!;
    assertEquals([
      scrape().value("ctpf_builders_builds_running"),
      scrape().value("ctpf_builders_builds_queued"),
    ], [
      1,
      1,
    ]);

    await client.cancelBuild({ id: waiting.id });
    assertEquals((await finished(builders, waiting.id, 10_000)).state, "cancelled");
    kind.open();
    const failed = await finished(builders, held.id, 10_000);
    assertEquals(failed.state, "failed");

    const counted = scrape();
    assertEquals(counted.value("ctpf_builders_builds_total", { kind: "gated", result: "cancelled" }), 1);
    assertEquals(counted.value("ctpf_builders_builds_total", { kind: "gated", result: "failed" }), 1);
    assertEquals(counted.value("ctpf_builders_builds_total"), 3);
    assertEquals([
      counted.value("ctpf_builders_builds_running"),
      counted.value("ctpf_builders_builds_queued"),
    ], [
      0,
      0,
    ]);
    // Only the build that ran has a duration.
    assertEquals(counted.value("ctpf_builders_build_duration_seconds_count", { kind: "gated" }), 1);
    assertEquals(counted.value("ctpf_builders_build_duration_seconds_count", { result: "failed" }), 1);
    for (const name of counted.families.keys()) assert(name.startsWith("ctpf_builders_"), name);
  } finally {
    await builders.stop();
    engine.close();
  }
});

/** Needs no base image: a file copied into /out. */
const fileKind: BuilderKind = {
  name: "one-file",
  title: "One file",
  description: "copies one file into /out",
  baseImages: [],
  fields: [],
  template: () => ({
    dockerfile: "FROM scratch\nCOPY hello.txt /out/hello.txt\n",
    files: [{ name: "hello.txt", content: new TextEncoder().encode("hello\n") }],
  }),
  publishFolder: () => "builds/one-file",
};

rootTest({
  name:
    "builders metrics: a build that succeeds on the test dockerd counts, and its artifact is in the store gauges",
  tools: ["dockerd"],
  sanitizeResources: false,
  fn: async () => {
    await using fixture = await startBuilders([fileKind]);
    await using api = await inProcessApi();
    api.serve((router) => registerBuildersApi(router, fixture.builders));
    const created = (await api.client(BuildService).createBuild({ kind: "one-file", parameters: {} })).build!;
    const build = await finished(fixture.builders, created.id);
    assertEquals(build.state, "succeeded", build.error);
    const counted = new MetricsText(fixture.metrics.render());
    assertEquals(counted.value("ctpf_builders_builds_total", { kind: "one-file", result: "succeeded" }), 1);
    assertEquals(counted.value("ctpf_builders_build_duration_seconds_count", { result: "succeeded" }), 1);
    assert(counted.value("ctpf_builders_build_duration_seconds_sum") > 0);
    assertEquals([
      counted.value("ctpf_builders_artifacts_stored"),
      counted.value("ctpf_builders_artifact_bytes_stored"),
    ], [
      1,
      6,
    ]);
    assertEquals(counted.value("ctpf_builders_builds_running"), 0);
  },
});
