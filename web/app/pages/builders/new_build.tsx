import { useEffect, useState } from "preact/hooks";
import type { Build, BuilderKind } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import { errorText } from "../../format.ts";
import { useCanChange } from "../../role.ts";
import { setQuery, useRoute } from "../../route.ts";
import { buildersApi, buildHref } from "./api.ts";
import { BuildForm, draftOf } from "./build_form.tsx";

/** #/builders/new?kind=…: pick a builder, fill the form its schema makes. */
export function NewBuildView({ kinds }: { kinds: BuilderKind[] }) {
  const canChange = useCanChange();
  const wanted = useRoute().query.get("kind");
  const kind = kinds.find((k) => k.name === wanted) ?? kinds[0];
  if (!canChange) return <p class="muted">Starting builds takes an admin; this sign-in may only look.</p>;
  if (!kind) return <p class="muted">This process ships no builders.</p>;
  return (
    <section data-view="new-build" aria-label="New build">
      <label class="field kind-picker">
        <span class="label">Builder</span>
        <select
          name="kind"
          value={kind.name}
          onChange={(e) => setQuery({ kind: e.currentTarget.value }, { replace: true })}
        >
          {kinds.map((k) => <option key={k.name} value={k.name}>{k.title} ({k.name})</option>)}
        </select>
        <small class="muted" data-field="kind-description">{kind.description}</small>
      </label>
      <BuildForm
        key={kind.name}
        kind={kind}
        initial={draftOf(kind)}
        submitLabel="Build"
        submit={async (parameters) =>
          (await buildersApi().createBuild({ kind: kind.name, parameters })).build as Build}
      />
    </section>
  );
}

/** #/builders/builds/<id>/rebuild: the same kind again, the form filled with the build's parameters. */
export function RebuildView({ id, kinds }: { id: string; kinds: BuilderKind[] }) {
  const canChange = useCanChange();
  const [build, setBuild] = useState<Build | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    buildersApi().getBuild({ id }).then((r) => setBuild(r.build ?? null), (e) => setError(errorText(e)));
  }, [id]);
  if (!canChange) return <p class="muted">Rebuilding takes an admin; this sign-in may only look.</p>;
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!build) return <p class="muted">Loading…</p>;
  const kind = kinds.find((k) => k.name === build.kind);
  if (!kind) return <p class="error">This process no longer ships the {build.kind} builder.</p>;
  return (
    <section data-view="rebuild" aria-label="Rebuild">
      <p>
        Rebuild of{" "}
        <a href={buildHref(build.id)}>{kind.title} build {build.id.slice(0, 8)}</a>: change what should
        differ.
      </p>
      <BuildForm
        kind={kind}
        initial={draftOf(kind, build.parameters)}
        submitLabel="Rebuild"
        submit={async (parameters) =>
          (await buildersApi().rebuild({ id: build.id, parameters })).build as Build}
      />
    </section>
  );
}
