import { useEffect, useState } from "preact/hooks";
import type { GetDeploySettingsResponse } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { type ViewTab, ViewTabs } from "../../components/view_tabs.tsx";
import { errorText } from "../../format.ts";
import { useRoute } from "../../route.ts";
import { servicePages } from "../registry.ts";
import { deployApi } from "./api.ts";
import { DeploymentView } from "./deployment_view.tsx";
import { DeploymentsView } from "./deployments.tsx";
import { NewDeploymentView } from "./new_deployment.tsx";
import { SshAccessView } from "./ssh_access.tsx";

/**
 * The deployers' page: past deployments (#/deployers), a new one from nodin's nodes picked by label
 * (#/deployers/new?selector=…&kind=…), one deployment live with a log per host
 * (#/deployers/deployments/<id>?host=…) and the service's SSH key and recorded host keys (#/deployers/ssh).
 */
function DeployersPage() {
  const { path } = useRoute();
  const [view = "", id = ""] = path.slice(1);
  const [settings, setSettings] = useState<GetDeploySettingsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    deployApi().getDeploySettings({}).then(setSettings, (e) => setError(errorText(e)));
  }, []);
  const tabs: ViewTab[] = [
    { key: "", title: "Deployments", path: ["deployers"] },
    { key: "new", title: "New deployment", path: ["deployers", "new"] },
    { key: "ssh", title: "SSH access", path: ["deployers", "ssh"] },
  ];
  const known = ["", "deployments", "new", "ssh"].includes(view);
  return (
    <section class="deployers">
      <h2>Deployers</h2>
      <ViewTabs label="Deployers views" tabs={tabs} current={view === "deployments" ? "" : view} />
      {error && <p class="error" role="alert">{error}</p>}
      {(view === "" || (view === "deployments" && !id)) && <DeploymentsView />}
      {view === "deployments" && id && <DeploymentView key={id} id={id} />}
      {view === "new" && settings && <NewDeploymentView settings={settings} />}
      {view === "ssh" && <SshAccessView />}
      {!known && <p class="error">No deployers view "{view}".</p>}
    </section>
  );
}

servicePages.deployers = DeployersPage;
