import { type ViewTab, ViewTabs } from "../../components/view_tabs.tsx";
import { useRoute } from "../../route.ts";
import { servicePages } from "../registry.ts";
import { useNodes, useWakes } from "./live.ts";
import { NodeView } from "./node_view.tsx";
import { NodesView } from "./nodes.tsx";
import { ScansView } from "./scans.tsx";
import { SettingsView } from "./settings.tsx";

const views: ViewTab[] = [
  { key: "", title: "Nodes", path: ["liwasc"] },
  { key: "scans", title: "Scans", path: ["liwasc", "scans"] },
  { key: "settings", title: "Settings", path: ["liwasc", "settings"] },
];

/**
 * liwasc's page: nodes (#/liwasc), one node (#/liwasc/nodes/<mac>), the scan history (#/liwasc/scans) and
 * the settings (#/liwasc/settings). The node and wake feeds live here, so moving between views keeps them.
 */
function LiwascPage() {
  const { path } = useRoute();
  const [view = "", mac = ""] = path.slice(1);
  const nodes = useNodes();
  const wakes = useWakes();
  const current = view === "nodes" ? "" : view;
  return (
    <section>
      <h2>Scan &amp; wake</h2>
      <ViewTabs label="liwasc views" tabs={views} current={current} />
      {view === "" && <NodesView nodes={nodes.state} connected={nodes.connected} wakes={wakes.state} />}
      {view === "nodes" && mac && (
        <NodeView mac={mac} node={nodes.state.get(mac)} wake={wakes.state.get(mac)} />
      )}
      {view === "nodes" && !mac && (
        <NodesView nodes={nodes.state} connected={nodes.connected} wakes={wakes.state} />
      )}
      {view === "scans" && <ScansView />}
      {view === "settings" && <SettingsView />}
      {!["", "nodes", "scans", "settings"].includes(view) && <p class="error">No liwasc view "{view}".</p>}
    </section>
  );
}

servicePages.liwasc = LiwascPage;
