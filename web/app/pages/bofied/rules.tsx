import { useEffect, useState } from "preact/hooks";
import type { GetBootInfoResponse } from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { routeHref } from "../../route.ts";
import { bofiedApi, errorText } from "./api.ts";
import { Editor } from "./editor.tsx";

/** The boot rules file, checked in the server's sandbox before it replaces the running rules. */
export function RulesView({ info, onSaved }: { info: GetBootInfoResponse; onSaved: () => void }) {
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    bofiedApi().getRules({}).then((r) => setSource(r.source), (e) => setError(errorText(e)));
  }, []);
  return (
    <section data-view="rules">
      <p class="muted">
        {info.rulesPath}
        {info.rulesError && <span class="error">(rejected: {info.rulesError})</span>}
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {source !== null && (
        <Editor
          path="rules.ts"
          text={source}
          isRules
          onSave={async (text) => {
            await bofiedApi().putRules({ source: text });
            onSaved();
          }}
          onClose={() => location.hash = routeHref(["bofied"])}
        />
      )}
    </section>
  );
}
