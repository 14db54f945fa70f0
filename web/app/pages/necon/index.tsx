import { ViewTabs } from "../../components/view_tabs.tsx";
import { useRoute } from "../../route.ts";
import { servicePages } from "../registry.ts";
import { useNeconConfig } from "./config_state.ts";
import { ServedInterfaces } from "./interfaces.tsx";
import { Leases } from "./leases.tsx";
import { SubnetList } from "./subnet_list.tsx";
import { SubnetView } from "./subnet_view.tsx";

/**
 * necon's page. Views: #/necon (served interfaces, subnets with pool usage), #/necon/subnets/new and
 * #/necon/subnets/<id> (a subnet's form, its reservations), #/necon/leases?q=… (the live lease table).
 */
function NeconPage() {
  const [, view, id] = useRoute().path;
  const { current, error, reload } = useNeconConfig();
  const config = current?.config ?? null;
  // Any other path under #/necon (a bare #/necon/subnets, a stale link) shows the subnet list.
  const subnetPage = view === "subnets" && id !== undefined;
  const listPage = view !== "leases" && !subnetPage;
  return (
    <section class="necon">
      <h2>DHCP</h2>
      <ViewTabs
        label="DHCP views"
        tabs={[
          { key: "subnets", title: "Subnets", path: ["necon"] },
          { key: "leases", title: "Leases", path: ["necon", "leases"] },
        ]}
        current={view === "leases" ? "leases" : "subnets"}
      />
      {current?.startupFile && (
        <p class="muted" data-field="startup-file">
          Started with --dhcp-config{" "}
          {current.startupFile}: that file replaces this configuration at every start.
        </p>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {view === "leases" && <Leases config={config} reload={reload} />}
      {view !== "leases" && !config && <p class="muted">Loading…</p>}
      {listPage && config && (
        <>
          <ServedInterfaces served={config.interfaces} reload={reload} />
          <SubnetList config={config} />
        </>
      )}
      {subnetPage && config && <SubnetView id={id} config={config} reload={reload} />}
    </section>
  );
}

servicePages.necon = NeconPage;
