import { SortableTable } from "../../components/sortable_table.tsx";
import { usePolled } from "../../polled.ts";
import { nodinApi } from "./api.ts";

/** The power drivers this binary has, and what each can do. */
export function DriversView() {
  const drivers = usePolled(() => nodinApi().listDrivers({}), 30_000);
  if (!drivers) return <p class="muted">Loading…</p>;
  return (
    <SortableTable
      label="Power drivers"
      rows={drivers.drivers}
      rowKey={(d) => d.driver}
      rowProps={(d) => ({ "data-driver": d.driver })}
      defaultSort="driver"
      columns={[
        { key: "driver", title: "Driver", sortValue: (d) => d.driver, render: (d) => d.driver },
        { key: "summary", title: "What it drives", render: (d) => d.summary },
        { key: "status", title: "Sees power", render: (d) => d.capabilities?.status ? "yes" : "no" },
        { key: "actions", title: "Actions", render: (d) => d.capabilities?.actions.join(", ") },
        { key: "boot", title: "Boot devices", render: (d) => d.capabilities?.bootDevices.join(", ") },
      ]}
      empty="No power driver is installed in this build: nodes are listed, but power is not managed."
    />
  );
}
