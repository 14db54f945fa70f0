// What the builders' tests share: a Builders on a test dockerd, its artifacts and published files in a
// temp dir, base images cached across tests (debootstrap takes a minute; the tarball is reused).
import { join } from "node:path";
import { LogSink } from "../../log/logger.ts";
import { Registry } from "../../metrics/registry.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { SqliteStore } from "../../store/sqlite.ts";
import { TestDockerd } from "./dockerd.ts";
import { ArtifactStore } from "../artifact_store.ts";
import { Builders } from "../builders.ts";
import type { BuilderKind } from "../kind.ts";
import { shippedKinds } from "../kinds/mod.ts";
import { type ArtifactPublisher, type BuildRecord, finishedStates } from "../model.ts";
import { SqliteBuildRepository } from "../store_sqlite.ts";

/** Base image tarballs, kept between test runs in the temp folder. */
export const testBaseImageCache = join(Deno.env.get("TMPDIR") ?? "/tmp", "ctpf-test-cache", "builders");

/** A boot tree in a folder, standing in where no bofied is hosted. */
export class FolderPublisher implements ArtifactPublisher {
  constructor(readonly dir: string) {}
  async publish(path: string, content: Uint8Array): Promise<void> {
    await Deno.mkdir(join(this.dir, path, ".."), { recursive: true });
    await Deno.writeFile(join(this.dir, path), content);
  }
  async unpublish(path: string): Promise<void> {
    await Deno.remove(join(this.dir, path)).catch(() => {});
  }
}

export interface BuildersFixture extends AsyncDisposable {
  dir: string;
  dockerd: TestDockerd;
  builders: Builders;
  artifacts: ArtifactStore;
  publisher: FolderPublisher;
  repository: SqliteBuildRepository;
  /** The registry the builders' metrics are in. */
  metrics: Registry;
}

/** `publishDir`: where artifacts are published (a served boot tree); `<dir>/boot` when not given. */
export async function startBuilders(
  extraKinds: BuilderKind[] = [],
  publishDir?: string,
): Promise<BuildersFixture> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-builders-" });
  const dockerd = await TestDockerd.start();
  const store = SqliteStore.open(join(dir, "ctpf.db"));
  const artifacts = new ArtifactStore(join(dir, "artifacts"));
  const publisher = new FolderPublisher(publishDir ?? join(dir, "boot"));
  const repository = new SqliteBuildRepository(store);
  const metrics = new Registry();
  const builders = new Builders({
    log: new LogSink({ level: "error", format: "logfmt" }).logger("builders"),
    engine: dockerd.engine,
    kinds: [...shippedKinds, ...extraKinds],
    baseImageOptions: { cacheDir: testBaseImageCache, mirror: "http://deb.debian.org/debian" },
    repository,
    artifacts,
    publisher,
    metrics,
  });
  return {
    dir,
    dockerd,
    builders,
    artifacts,
    publisher,
    repository,
    metrics,
    async [Symbol.asyncDispose]() {
      await builders.stop();
      store.close();
      await dockerd[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The build once it has finished (or failed the test after `ms`). */
export async function finished(builders: Builders, id: string, ms = 300_000): Promise<BuildRecord> {
  return await until(builders, id, (build) => finishedStates.includes(build.state), ms);
}

/** The build once `wanted` holds for it. */
export async function until(
  builders: Builders,
  id: string,
  wanted: (build: BuildRecord) => boolean,
  ms: number,
): Promise<BuildRecord> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const changes = builders.changes.subscribe(0, controller.signal, (build) => build.id === id);
    const now = builders.get(id);
    if (wanted(now)) return now;
    for await (const build of changes) if (wanted(build)) return build;
    throw new Error(`build ${id} not as wanted within ${ms} ms: ${JSON.stringify(builders.get(id).state)}`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * Builds `parameters` of `kind` again after `first`: it must succeed with at least `minSteps` Dockerfile
 * steps, every one from BuildKit's cache, and give the same artifacts. Returns the build and its time.
 */
export async function expectCachedRebuild(
  builders: Builders,
  kind: string,
  parameters: Record<string, unknown>,
  first: BuildRecord,
  minSteps: number,
): Promise<{ build: BuildRecord; ms: number }> {
  const started = performance.now();
  const build = await finished(builders, builders.create(kind, parameters, "test").id);
  const ms = performance.now() - started;
  assertEquals(build.state, "succeeded", build.error);
  const steps = build.steps.filter((s) => /^\[(build|stage-1) /.test(s.name) && !s.name.includes("FROM"));
  assert(
    steps.length >= minSteps && steps.every((s) => s.cached),
    JSON.stringify(build.steps.map((s) => [s.name, s.cached])),
  );
  assertEquals(build.artifacts.map((a) => a.sha256).sort(), first.artifacts.map((a) => a.sha256).sort());
  return { build, ms };
}
