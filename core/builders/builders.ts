// The build engine: checks a build's parameters against its kind, runs it as a BuildKit job on the
// Docker daemon (one at a time: the machine is small and BuildKit parallelises steps itself), follows
// its steps and logs, copies its /out into the artifact store, publishes the artifacts, and cleans the
// daemon of everything but BuildKit's cache.
import { FieldErrors } from "../errors/field_errors.ts";
import { InputError } from "../errors/input_error.ts";
import type { Logger } from "../log/logger.ts";
import { Registry } from "../metrics/registry.ts";
import { Hub } from "../stream/hub.ts";
import { readTar, writeTar } from "../archive/tar.ts";
import type { ArtifactStore } from "./artifact_store.ts";
import { type BaseImage, type BaseImageOptions, ensureBaseImage } from "./base_images.ts";
import type { DockerEngine } from "./docker/engine.ts";
import { type BuilderKind, checkParameters, withSecretsKept } from "./kind.ts";
import { BuildersMetrics, type StoredArtifacts } from "./metrics.ts";
import { mergeSteps } from "./steps.ts";
import {
  type ArtifactPublisher,
  type ArtifactRecord,
  type BuildRecord,
  type BuildRepository,
  finishedStates,
} from "./model.ts";

export const BUILD_LABEL = "ctpf.build";
const MAX_OUTPUT = 2 * 1024 * 1024 * 1024;
const LIST_LIMIT = 1000;

export interface BuildersOptions {
  log: Logger;
  engine: DockerEngine;
  kinds: BuilderKind[];
  baseImageOptions: Omit<BaseImageOptions, "progress" | "signal">;
  repository: BuildRepository;
  artifacts: ArtifactStore;
  publisher?: ArtifactPublisher;
  /** The binary's registry, which the builders' metrics join (a registry of their own when not given). */
  metrics?: Registry;
}

export class Builders {
  /** Every change of a build, the whole build each time. */
  readonly changes = new Hub<BuildRecord>({ historySize: 0, subscriberQueue: 10_000, maxSubscribers: 200 });
  readonly kinds: Map<string, BuilderKind>;
  #running = new Map<string, AbortController>();
  /** Builds created and not yet started nor cancelled. */
  #queued = new Set<string>();
  readonly #metrics: BuildersMetrics;
  #queue: Promise<void> = Promise.resolve();
  #builds = 0;

  constructor(private readonly options: BuildersOptions) {
    this.kinds = new Map(options.kinds.map((kind) => [kind.name, kind]));
    this.#metrics = new BuildersMetrics(
      options.metrics ?? new Registry(),
      () => this.storedArtifacts(),
      () => this.#queued.size,
    );
  }

  get buildsRun(): number {
    return this.#builds;
  }

  /**
   * Builds left running by a stopped process are failed (their daemon request is gone), and what they
   * left on the daemon is removed once it answers.
   */
  start(): Promise<void> {
    const interrupted: string[] = [];
    for (const build of this.options.repository.list(LIST_LIMIT)) {
      if (!finishedStates.includes(build.state)) {
        this.#update(build, { state: "failed", error: "interrupted by a restart", finishedAt: Date.now() });
        this.#metrics.endedUnrun(build.kind, "failed");
        interrupted.push(build.id);
      }
    }
    return this.#sweep(interrupted);
  }

  async #sweep(ids: string[]): Promise<void> {
    if (ids.length === 0 || !await this.options.engine.ping()) return;
    for (const id of ids) await this.#clean(id, `ctpf-build:${id}`);
  }

  async stop(): Promise<void> {
    for (const controller of this.#running.values()) controller.abort();
    await this.#queue;
  }

  /** Checks the parameters (FieldErrors before anything runs) and queues the build. */
  create(kindName: string, rawParameters: unknown, createdBy: string, rebuildOf?: string): BuildRecord {
    const kind = this.kinds.get(kindName);
    if (!kind) {
      throw new FieldErrors([{
        field: "kind",
        message: `unknown builder; one of ${[...this.kinds.keys()].join(", ")}`,
      }]);
    }
    const parameters = checkParameters(kind, rawParameters);
    const build: BuildRecord = {
      id: crypto.randomUUID(),
      kind: kind.name,
      parameters,
      state: "queued",
      createdAt: Date.now(),
      steps: [],
      artifacts: [],
      createdBy,
      rebuildOf,
    };
    this.options.repository.save(build);
    this.changes.publish(build);
    const controller = new AbortController();
    this.#running.set(build.id, controller);
    this.#queued.add(build.id);
    this.#queue = this.#queue.then(() => this.#run(build, kind, controller.signal));
    return build;
  }

  /** The same kind again, with the parameters given or, when none are, the old build's. */
  rebuild(id: string, parameters: unknown | undefined, createdBy: string): BuildRecord {
    const old = this.get(id);
    const kind = this.kinds.get(old.kind);
    const given = parameters === undefined || !kind
      ? parameters
      : withSecretsKept(kind, parameters, old.parameters);
    return this.create(old.kind, given ?? old.parameters, createdBy, old.id);
  }

  get(id: string): BuildRecord {
    const build = this.options.repository.get(id);
    if (!build) throw new InputError("id", `no build ${id}`, "not-found");
    return build;
  }

  list(): BuildRecord[] {
    return this.options.repository.list(LIST_LIMIT);
  }

  /** Stops a queued or running build; what it made is removed. */
  cancel(id: string): BuildRecord {
    const build = this.get(id);
    if (finishedStates.includes(build.state)) {
      throw new InputError("id", `build ${id} has already ${build.state}`, "precondition");
    }
    this.#running.get(id)?.abort();
    // A queued build never starts: it is cancelled now, not when its turn comes.
    if (build.state === "queued") {
      this.#queued.delete(id);
      this.#metrics.endedUnrun(build.kind, "cancelled");
      return this.#update(build, { state: "cancelled", finishedAt: Date.now() });
    }
    return build;
  }

  /** Removes a finished build, its artifacts no other build shares, and what it published. */
  async delete(id: string): Promise<void> {
    const build = this.get(id);
    if (!finishedStates.includes(build.state)) {
      throw new InputError("id", `build ${id} is ${build.state}: cancel it first`, "precondition");
    }
    this.options.repository.delete(id);
    const stillUsed = new Set(this.list().flatMap((other) => other.artifacts.map((a) => a.sha256)));
    for (const artifact of build.artifacts) {
      if (!stillUsed.has(artifact.sha256)) await this.options.artifacts.remove(artifact.sha256);
      if (artifact.publishedPath) await this.#republish(artifact.publishedPath);
    }
  }

  /** A published path after its build went: the newest remaining build's file there, or none. */
  async #republish(path: string): Promise<void> {
    const publisher = this.options.publisher;
    if (!publisher) return;
    const newest = this.list().flatMap((other) => other.artifacts).find((a) => a.publishedPath === path);
    const content = newest && await this.options.artifacts.read(newest.sha256);
    if (content) await publisher.publish(path, content);
    else await publisher.unpublish(path);
  }

  /** What the artifact store holds: the distinct artifacts of the builds kept (a delete removes the rest). */
  storedArtifacts(): StoredArtifacts {
    const sizes = new Map<string, number>();
    for (const build of this.list()) for (const a of build.artifacts) sizes.set(a.sha256, a.size);
    let bytes = 0;
    for (const size of sizes.values()) bytes += size;
    return { files: sizes.size, bytes };
  }

  /** Artifacts of finished builds with the build they came from, newest first. */
  artifacts(): { build: BuildRecord; artifact: ArtifactRecord }[] {
    return this.list().flatMap((build) => build.artifacts.map((artifact) => ({ build, artifact })));
  }

  async #run(build: BuildRecord, kind: BuilderKind, signal: AbortSignal): Promise<void> {
    const tag = `ctpf-build:${build.id}`;
    const started = Date.now();
    let outcome: Partial<BuildRecord>;
    this.#queued.delete(build.id);
    if (signal.aborted) {
      // Cancelled while queued: already recorded as such, nothing ran.
      this.#running.delete(build.id);
      return;
    }
    this.#metrics.started();
    try {
      build = this.#update(build, { state: "running", startedAt: started });
      for (const image of kind.baseImages) build = await this.#baseImageStep(build, image, signal);
      const template = await kind.template(build.parameters, signal);
      const context = writeTar([
        { name: "Dockerfile", type: "file", content: new TextEncoder().encode(template.dockerfile) },
        ...template.files.map((file) => ({ ...file, type: "file" as const })),
      ]);
      const labels = { [BUILD_LABEL]: build.id };
      for await (
        const event of this.options.engine.build(context, { tag, labels, signal, buildId: build.id })
      ) {
        if (event.kind === "trace") build = this.#update(build, { steps: mergeSteps(build, event.update) });
      }
      const files = await this.#copyOut(tag, labels);
      const artifacts: ArtifactRecord[] = [];
      const folder = kind.publishFolder(build.parameters, build.id);
      for (const file of files) {
        const sha256 = await this.options.artifacts.put(file.content);
        const artifact: ArtifactRecord = { name: file.name, sha256, size: file.content.length };
        if (this.options.publisher) {
          artifact.publishedPath = `${folder}/${file.name}`;
          await this.options.publisher.publish(artifact.publishedPath, file.content);
        }
        artifacts.push(artifact);
      }
      outcome = { state: "succeeded", artifacts };
    } catch (error) {
      outcome = signal.aborted
        ? { state: "cancelled" }
        : { state: "failed", error: (error as Error).message };
      // The daemon cancels a build whose request went away; asking as well does not wait for it to notice.
      if (signal.aborted) await this.options.engine.cancelBuild(build.id).catch(() => {});
    }
    // Cleaned before the build shows as finished, so whoever waits for that finds the daemon clean.
    await this.#clean(build.id, tag);
    this.#running.delete(build.id);
    this.#builds++;
    build = this.#update(build, { ...outcome, finishedAt: Date.now() });
    this.#metrics.ranTo(build.kind, build.state, build.finishedAt! - started);
    this.options.log.info(`build ${build.state}`, {
      id: build.id,
      kind: build.kind,
      ms: Date.now() - started,
      error: build.error,
    });
  }

  async #baseImageStep(build: BuildRecord, image: BaseImage, signal: AbortSignal): Promise<BuildRecord> {
    const step = { digest: `base:${image.tag}`, name: `[base] ${image.tag}`, cached: true, log: "" };
    const startedAt = Date.now();
    build = this.#update(build, { steps: [...build.steps, { ...step, started: startedAt }] });
    let log = "";
    await ensureBaseImage(this.options.engine, image, {
      ...this.options.baseImageOptions,
      signal,
      progress: (line) => {
        log += `${line}\n`;
        step.cached = false;
      },
    });
    const done = { ...step, started: startedAt, completed: Date.now(), log };
    return this.#update(build, { steps: build.steps.map((s) => s.digest === step.digest ? done : s) });
  }

  /** The image's /out, through a container that is created, read and removed (never started). */
  async #copyOut(tag: string, labels: Record<string, string>) {
    const engine = this.options.engine;
    const container = await engine.createContainer(tag, labels);
    try {
      const entries = readTar(await engine.archive(container, "/out", MAX_OUTPUT));
      return entries.filter((entry) => entry.type === "file" && entry.name.startsWith("out/")).map((
        entry,
      ) => ({
        name: entry.name.slice("out/".length),
        content: entry.content!,
      }));
    } finally {
      await engine.removeContainer(container);
    }
  }

  /** Leaves nothing of the build on the daemon but BuildKit's cache: its containers and images go. */
  async #clean(id: string, tag: string): Promise<void> {
    const engine = this.options.engine;
    try {
      for (const container of await engine.listContainers(`${BUILD_LABEL}=${id}`)) {
        await engine.removeContainer(container.id);
      }
      await engine.removeImage(tag);
      for (const image of await engine.listImages(`${BUILD_LABEL}=${id}`)) await engine.removeImage(image.id);
    } catch (error) {
      this.options.log.warn("build cleanup failed", { id, error: String(error) });
    }
  }

  #update(build: BuildRecord, change: Partial<BuildRecord>): BuildRecord {
    const next = { ...build, ...change };
    this.options.repository.save(next);
    this.changes.publish(next);
    return next;
  }
}
