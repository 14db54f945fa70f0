import { type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { BuildService, BuildState } from "../api/gen/ctpf/v1/builders_pb.ts";
import { principalKey } from "../api/context.ts";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import type { Builders } from "./builders.ts";
import { type BuilderKind, withSecretsHidden } from "./kind.ts";
import { type BuildRecord, finishedStates } from "./model.ts";

const states = {
  queued: BuildState.QUEUED,
  running: BuildState.RUNNING,
  succeeded: BuildState.SUCCEEDED,
  failed: BuildState.FAILED,
  cancelled: BuildState.CANCELLED,
} as const;

/** Where the service serves an artifact's bytes (mounted by the module). */
export const artifactDownloadPath = (sha256: string) => `/builders/artifacts/${sha256}`;

const optionalTime = (ms: number | undefined) => ms === undefined ? undefined : timestampFromMs(ms);

function buildMessage(build: BuildRecord, withLogs: boolean, kind: BuilderKind | undefined) {
  return {
    id: build.id,
    kind: build.kind,
    parameters: withSecretsHidden(kind, build.parameters),
    state: states[build.state],
    created: timestampFromMs(build.createdAt),
    started: optionalTime(build.startedAt),
    finished: optionalTime(build.finishedAt),
    error: build.error ?? "",
    steps: build.steps.map((step) => ({
      name: step.name,
      cached: step.cached,
      started: optionalTime(step.started),
      completed: optionalTime(step.completed),
      error: step.error ?? "",
      log: withLogs ? step.log : "",
    })),
    artifacts: build.artifacts.map((artifact) => ({
      name: artifact.name,
      sha256: artifact.sha256,
      size: BigInt(artifact.size),
      publishedPath: artifact.publishedPath ?? "",
      downloadPath: artifactDownloadPath(artifact.sha256),
    })),
    createdBy: build.createdBy,
    rebuildOf: build.rebuildOf ?? "",
    cachedSteps: build.steps.filter((step) => step.cached && !step.name.startsWith("[internal]")).length,
  };
}

const callerOf = (context: HandlerContext) => context.values.get(principalKey)?.name ?? "anonymous";

export function registerBuildersApi(router: ConnectRouter, builders: Builders): void {
  const shown = (build: BuildRecord, withLogs: boolean) =>
    buildMessage(build, withLogs, builders.kinds.get(build.kind));
  router.service(BuildService, {
    listKinds() {
      return {
        kinds: [...builders.kinds.values()].map((kind) => ({
          name: kind.name,
          title: kind.title,
          description: kind.description,
          parameters: kind.fields.map((field) => ({
            name: field.name,
            title: field.title,
            description: field.description,
            type: field.type,
            required: field.required ?? false,
            choices: field.choices ?? [],
            defaultValues: field.default === undefined ? [] : [field.default].flat(),
            patternHint: field.patternHint ?? "",
            secret: field.secret ?? false,
          })),
        })),
      };
    },
    createBuild(request, context) {
      return {
        build: shown(builders.create(request.kind, request.parameters ?? {}, callerOf(context)), true),
      };
    },
    async *subscribeToBuild(request, context) {
      const build = builders.get(request.id);
      for await (
        const message of snapshotThenChanges({
          changes: builders.changes,
          signal: context.signal,
          snapshot: () => [builders.get(build.id)],
          filter: (change) => change.id === build.id,
          toMessage: (change: BuildRecord) => change,
        })
      ) {
        yield { build: shown(message, true) };
        // A finished build does not change again: the stream is done.
        if (finishedStates.includes(message.state)) return;
      }
    },
    cancelBuild(request) {
      builders.cancel(request.id);
      return {};
    },
    listBuilds() {
      return { builds: builders.list().map((build) => shown(build, false)) };
    },
    getBuild(request) {
      return { build: shown(builders.get(request.id), true) };
    },
    async deleteBuild(request) {
      await builders.delete(request.id);
      return {};
    },
    rebuild(request, context) {
      return {
        build: shown(builders.rebuild(request.id, request.parameters, callerOf(context)), true),
      };
    },
    listArtifacts() {
      return {
        artifacts: builders.artifacts().map(({ build, artifact }) => ({
          artifact: shown({ ...build, artifacts: [artifact] }, false).artifacts[0],
          buildId: build.id,
          kind: build.kind,
          parameters: withSecretsHidden(builders.kinds.get(build.kind), build.parameters),
          built: optionalTime(build.finishedAt),
        })),
      };
    },
  });
}
