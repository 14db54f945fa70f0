import { useEffect, useState } from "preact/hooks";
import type { GetMetadataResponse } from "../../../../core/api/gen/ctpf/v1/metadata_pb.ts";
import type { BuilderKind } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import { useBootLinks } from "../../components/boot_links.ts";
import { type ViewTab, ViewTabs } from "../../components/view_tabs.tsx";
import { errorText } from "../../format.ts";
import { useCanChange } from "../../role.ts";
import { useRoute } from "../../route.ts";
import { servicePages } from "../registry.ts";
import { buildersApi } from "./api.ts";
import { ArtifactsView } from "./artifacts.tsx";
import { BuildView } from "./build_view.tsx";
import { BuildsView } from "./builds.tsx";
import { NewBuildView, RebuildView } from "./new_build.tsx";

/**
 * The builders' page: builds (#/builders), a new build (#/builders/new?kind=…), one build live
 * (#/builders/builds/<id>), a rebuild with changed parameters (#/builders/builds/<id>/rebuild) and every
 * artifact (#/builders/artifacts). Forms come from each kind's schema (ListKinds): no kind is known here.
 */
function BuildersPage({ metadata }: { metadata: GetMetadataResponse }) {
  const { path } = useRoute();
  const [view = "", id = "", sub = ""] = path.slice(1);
  const canChange = useCanChange();
  const [kinds, setKinds] = useState<BuilderKind[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    buildersApi().listKinds({}).then((r) => setKinds(r.kinds), (e) => setError(errorText(e)));
  }, []);
  const links = useBootLinks(metadata.services.some((s) => s.name === "bofied" && s.hosted));
  const tabs: ViewTab[] = [
    { key: "", title: "Builds", path: ["builders"] },
    ...(canChange ? [{ key: "new", title: "New build", path: ["builders", "new"] }] : []),
    { key: "artifacts", title: "Artifacts", path: ["builders", "artifacts"] },
  ];
  const known = ["", "builds", "new", "artifacts"].includes(view);
  return (
    <section class="builders">
      <h2>Builders</h2>
      <ViewTabs label="Builders views" tabs={tabs} current={view === "builds" ? "" : view} />
      {error && <p class="error" role="alert">{error}</p>}
      {(view === "" || (view === "builds" && !id)) && <BuildsView />}
      {view === "builds" && id && !sub && <BuildView key={id} id={id} links={links} />}
      {view === "builds" && id && sub === "rebuild" && kinds && (
        <RebuildView
          key={id}
          id={id}
          kinds={kinds}
        />
      )}
      {view === "new" && kinds && <NewBuildView kinds={kinds} />}
      {view === "artifacts" && <ArtifactsView links={links} />}
      {!known && <p class="error">No builders view "{view}".</p>}
    </section>
  );
}

servicePages.builders = BuildersPage;
