import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  type GetStatsResponse,
  type Lease,
  type NeconConfig,
  NeconService,
} from "../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { client } from "../client.ts";
import { useLiveStream } from "../live.ts";
import { usePolled } from "../polled.ts";
import { servicePages } from "./registry.ts";

function Subnets({ config, stats }: { config: NeconConfig; stats: GetStatsResponse | null }) {
  if (config.subnets.length === 0) return <p>No subnets configured: necon serves nothing.</p>;
  return (
    <table class="grid" aria-label="Subnets">
      <thead>
        <tr>
          <th>Subnet</th>
          <th>Pools</th>
          <th>Usage</th>
          <th>Routers</th>
          <th>DNS</th>
          <th>Lease</th>
          <th>Reservations</th>
        </tr>
      </thead>
      <tbody>
        {config.subnets.map((subnet) => {
          const usage = stats?.pools.find((p) => p.subnetId === subnet.id);
          return (
            <tr key={subnet.id} data-subnet={subnet.id}>
              <td>{subnet.id}</td>
              <td>{subnet.pools.map((p) => `${p.start}–${p.end}`).join(", ")}</td>
              <td data-field="usage">
                {usage ? `${usage.bound}/${usage.size} bound` : "…"}
                {usage?.declined ? `, ${usage.declined} declined` : ""}
              </td>
              <td>{subnet.routers.join(", ")}</td>
              <td>{subnet.dnsServers.join(", ")}</td>
              <td>{subnet.leaseSeconds ? `${subnet.leaseSeconds} s` : "3600 s"}</td>
              <td>
                {subnet.reservations.map((r) => (
                  <div key={r.ip}>
                    {r.ip} ← {r.mac || r.clientId} {r.hostname && <span class="muted">({r.hostname})</span>}
                  </div>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** necon: subnets with pool usage, reservations, and the live lease table. */
function NeconPage() {
  const config = usePolled(() => client(NeconService).getConfig({}).then((r) => r.config ?? null), 5000);
  const stats = usePolled(() => client(NeconService).getStats({}), 2000);
  const leases = useLiveStream<{ lease?: Lease }, Map<string, Lease>>(
    (signal) => client(NeconService).subscribeToLeases({}, { signal }),
    (table, message) => message.lease ? new Map(table).set(message.lease.ip, message.lease) : table,
    new Map(),
  );
  const rows = [...leases.state.values()].sort((a, b) =>
    a.ip.localeCompare(b.ip, undefined, { numeric: true })
  );
  return (
    <section>
      <h2>DHCP</h2>
      <p class="muted">
        Interfaces: {config?.interfaces.length ? config.interfaces.join(", ") : "none (nothing is served)"}
      </p>
      {config && <Subnets config={config} stats={stats} />}
      <h3>
        Leases{" "}
        <span
          class={leases.connected ? "dot on" : "dot"}
          title={leases.connected ? "live" : "reconnecting"}
        />
      </h3>
      <table class="grid" aria-label="Leases">
        <thead>
          <tr>
            <th>Address</th>
            <th>MAC</th>
            <th>Host</th>
            <th>State</th>
            <th>Expires</th>
            <th>Subnet</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((lease) => (
            <tr key={lease.ip} data-ip={lease.ip} class={lease.state}>
              <td>{lease.ip}</td>
              <td>{lease.mac}</td>
              <td>{lease.hostname}</td>
              <td data-field="state">{lease.state}</td>
              <td>{lease.expiresAt ? timestampDate(lease.expiresAt).toLocaleString() : ""}</td>
              <td>{lease.subnetId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

servicePages.necon = NeconPage;
