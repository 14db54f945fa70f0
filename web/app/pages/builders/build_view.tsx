import { useEffect, useState } from "preact/hooks";
import { type Build, BuildState } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import type { BootLinks } from "../../components/boot_links.ts";
import { errorText, formatDuration, formatTime } from "../../format.ts";
import { useLiveStream } from "../../live.ts";
import { useCanChange } from "../../role.ts";
import { routeHref } from "../../route.ts";
import { buildersApi, buildHref, cacheText, durationMs, isFinished, rebuildHref, stateNames } from "./api.ts";
import { ArtifactTable } from "./artifacts.tsx";
import { StepList } from "./steps.tsx";

/** #/builders/builds/<id>: one build, live until it finishes: steps with their logs, then its artifacts. */
export function BuildView({ id, links }: { id: string; links: BootLinks | null }) {
  const live = useLiveStream<{ build?: Build }, Build | null>(
    (signal) => buildersApi().subscribeToBuild({ id }, { signal }),
    (previous, message) => message.build ?? previous,
    null,
    [id],
    { until: (message) => !!message.build && isFinished(message.build) },
  );
  const build = live.state;
  if (!build) {
    return live.error ? <p class="error" role="alert">{live.error}</p> : <p class="muted">Loading…</p>;
  }
  return (
    <section data-view="build" data-build={build.id} aria-label="Build">
      <h3>{build.kind} build {build.id.slice(0, 8)}</h3>
      <BuildFacts build={build} />
      <BuildActions build={build} />
      <h3>Steps</h3>
      <StepList build={build} />
      {build.state === BuildState.SUCCEEDED && (
        <>
          <h3>Artifacts</h3>
          <ArtifactTable artifacts={build.artifacts} links={links} />
        </>
      )}
    </section>
  );
}

function BuildFacts({ build }: { build: Build }) {
  const [now, setNow] = useState(Date.now());
  const finished = isFinished(build);
  useEffect(() => {
    if (finished) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [finished]);
  const parameters = Object.entries(build.parameters ?? {});
  return (
    <dl class="facts">
      <dt>Builder</dt>
      <dd data-field="kind">{build.kind}</dd>
      <dt>State</dt>
      <dd>
        <span class={`badge state-${stateNames[build.state]}`} data-field="state">
          {stateNames[build.state]}
        </span>
        {build.error && <span class="error" data-field="error">{build.error}</span>}
      </dd>
      <dt>Parameters</dt>
      <dd>
        <dl class="parameters" data-field="parameters">
          {parameters.map(([name, value]) => (
            <div key={name} data-parameter={name}>
              <dt>{name}</dt>
              <dd>{Array.isArray(value) ? value.join(", ") : String(value)}</dd>
            </div>
          ))}
        </dl>
      </dd>
      <dt>Started</dt>
      <dd data-field="started">
        {build.started ? formatTime(build.started) : `queued at ${formatTime(build.created)}`}
        {build.createdBy && <span class="muted">by {build.createdBy}</span>}
      </dd>
      <dt>Duration</dt>
      <dd data-field="duration">{build.started ? formatDuration(durationMs(build, now)) : ""}</dd>
      <dt>Cache</dt>
      <dd data-field="cache">{finished ? cacheText(build) : ""}</dd>
      {build.rebuildOf && (
        <>
          <dt>Rebuild of</dt>
          <dd>
            <a href={buildHref(build.rebuildOf)} data-field="rebuild-of">{build.rebuildOf.slice(0, 8)}</a>
          </dd>
        </>
      )}
    </dl>
  );
}

/** Cancel while it runs, rebuild or delete once finished; none of it for viewers. */
function BuildActions({ build }: { build: Build }) {
  const canChange = useCanChange();
  const [error, setError] = useState<string | null>(null);
  if (!canChange) return null;
  const act = (work: () => Promise<unknown>) =>
    work().then(() => setError(null), (e) => setError(errorText(e)));
  return (
    <div class="actions" aria-label="Build actions">
      {!isFinished(build) && (
        <button
          type="button"
          onClick={() => act(() => buildersApi().cancelBuild({ id: build.id }))}
        >
          Cancel
        </button>
      )}
      {isFinished(build) && <a class="button" href={rebuildHref(build.id)}>Rebuild…</a>}
      {isFinished(build) && (
        <button
          type="button"
          class="danger"
          onClick={() => {
            if (!confirm(`Delete this ${build.kind} build and the artifacts only it made?`)) return;
            act(async () => {
              await buildersApi().deleteBuild({ id: build.id });
              location.hash = routeHref(["builders"]);
            });
          }}
        >
          Delete
        </button>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}
