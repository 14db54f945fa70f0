import { routeHref, useRoute } from "../../route.ts";
import { servicePages } from "../registry.ts";
import { BmcCheckView } from "./bmc_check.tsx";
import { CloudsView } from "./clouds.tsx";
import { DriversView } from "./drivers.tsx";
import { useInventory } from "./live.ts";
import { NodeView } from "./node_view.tsx";
import { NodesView } from "./nodes.tsx";
import { RulesView } from "./rules.tsx";

const views = [
  { path: [] as string[], title: "Nodes" },
  { path: ["rules"], title: "Enrolment rules" },
  { path: ["drivers"], title: "Power drivers" },
  { path: ["clouds"], title: "Cloud accounts" },
  { path: ["bmc"], title: "Check a BMC" },
];

/**
 * nodin's page: the node table (#/nodin), one node (#/nodin/nodes/<id>), the enrolment rules
 * (#/nodin/rules), the power drivers (#/nodin/drivers), the cloud accounts (#/nodin/clouds) and a BMC
 * check before enrolment (#/nodin/bmc). The inventory feed lives here, so moving
 * between views keeps it.
 */
function NodinPage() {
  const { path } = useRoute();
  const [view = "", id = ""] = path.slice(1);
  const inventory = useInventory();
  const current = view === "nodes" ? "" : view;
  return (
    <section>
      <h2>Nodes</h2>
      <nav class="subnav" aria-label="nodin views">
        {views.map((v) => (
          <a
            key={v.title}
            href={routeHref(["nodin", ...v.path])}
            aria-current={(v.path[0] ?? "") === current ? "page" : undefined}
          >
            {v.title}
          </a>
        ))}
      </nav>
      {(view === "" || (view === "nodes" && !id)) && (
        <NodesView nodes={inventory.state} connected={inventory.connected} />
      )}
      {view === "nodes" && id && <NodeView id={id} node={inventory.state.get(id)} />}
      {view === "rules" && <RulesView />}
      {view === "drivers" && <DriversView />}
      {view === "clouds" && <CloudsView />}
      {view === "bmc" && <BmcCheckView />}
      {!["", "nodes", "rules", "drivers", "clouds", "bmc"].includes(view) && (
        <p class="error">No nodin view "{view}".</p>
      )}
    </section>
  );
}

servicePages.nodin = NodinPage;
