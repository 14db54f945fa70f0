import type { NeconConfig, PoolUsage, Subnet } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { usePolled } from "../../polled.ts";
import { routeHref } from "../../route.ts";
import { neconApi } from "./config_state.ts";

function Usage({ usage }: { usage?: PoolUsage }) {
  if (!usage) return <>…</>;
  if (usage.size === 0) return <span class="muted">no pool</span>;
  return (
    <>
      <meter min={0} max={usage.size} value={usage.bound} high={usage.size * 0.9} />{" "}
      {`${usage.bound}/${usage.size} bound`}
      {usage.declined ? `, ${usage.declined} declined` : ""}
    </>
  );
}

/** The running subnets with how full their pools are (GetStats, polled), each a link to its page. */
export function SubnetList({ config }: { config: NeconConfig }) {
  const stats = usePolled(() => neconApi().getStats({}), 2000);
  const usageOf = (subnet: Subnet) => stats?.pools.find((p) => p.subnetId === subnet.id);
  const fullness = (subnet: Subnet) => {
    const usage = usageOf(subnet);
    return usage?.size ? usage.bound / usage.size : 0;
  };
  return (
    <section aria-label="Subnets">
      <div class="toolbar">
        <h3>Subnets</h3>
        <span class="spacer" />
        <a class="button" href={routeHref(["necon", "subnets", "new"])}>New subnet</a>
      </div>
      <SortableTable<Subnet>
        label="Subnets"
        rows={config.subnets}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ "data-subnet": s.id })}
        empty="No subnets configured: necon serves nothing. Add one with “New subnet”."
        columns={[
          {
            key: "id",
            title: "Subnet",
            sortValue: (s) => s.id,
            render: (s) => (
              <a href={routeHref(["necon", "subnets", s.id])}>
                {s.id}
                {s.id !== s.cidr && <span class="muted">{` ${s.cidr}`}</span>}
              </a>
            ),
          },
          { key: "usage", title: "Usage", sortValue: fullness, render: (s) => <Usage usage={usageOf(s)} /> },
          { key: "interface", title: "Interface", render: (s) => s.interface || "automatic" },
          {
            key: "pools",
            title: "Pools",
            render: (s) => s.pools.map((p) => `${p.start}–${p.end}`).join(", "),
          },
          { key: "routers", title: "Routers", render: (s) => s.routers.join(", ") },
          { key: "dns", title: "DNS", render: (s) => s.dnsServers.join(", ") },
          { key: "lease", title: "Lease", render: (s) => `${s.leaseSeconds || 3600} s` },
          {
            key: "reservations",
            title: "Reservations",
            sortValue: (s) => s.reservations.length,
            render: (s) =>
              s.reservations.map((r) => (
                <div key={r.ip}>
                  {r.ip} ← {r.mac || r.clientId} {r.hostname && <span class="muted">({r.hostname})</span>}
                </div>
              )),
          },
        ]}
      />
    </section>
  );
}
