import { useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Lease, NeconConfig } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { submitErrorsOf } from "../../components/field_errors.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { setQuery, useRoute } from "../../route.ts";
import { neconApi } from "./config_state.ts";
import { useLeasePage } from "./lease_pages.ts";

/**
 * The lease table a page at a time (ListLeases, in address order), its rows kept live; the filter (MAC,
 * address, host name or client id, applied by the server) and the order within the page live in the URL.
 * A bound lease can be made a reservation or released.
 */
export function Leases({ config, reload }: { config: NeconConfig | null; reload: () => Promise<void> }) {
  const filter = useRoute().query.get("q") ?? "";
  const [problem, setProblem] = useState<string | null>(null);
  const needle = filter.trim();
  const leases = useLeasePage(needle);
  const reserved = new Set(config?.subnets.flatMap((s) => s.reservations.map((r) => r.ip)));

  async function act(work: () => Promise<unknown>) {
    try {
      await work();
      setProblem(null);
    } catch (e) {
      setProblem(submitErrorsOf(e).general ?? [...submitErrorsOf(e).fields.values()].join("; "));
    }
    await reload();
    leases.refresh();
  }

  return (
    <section aria-label="Leases">
      <div class="toolbar">
        <h3>
          Leases <span class={leases.live ? "dot on" : "dot"} title={leases.live ? "live" : "reconnecting"} />
        </h3>
        <span class="spacer" />
        <span class="pager" aria-label="Pages">
          <span data-field="range">
            {leases.total === 0
              ? "none"
              : `${leases.offset + 1}–${leases.offset + leases.rows.length} of ${leases.total}`}
          </span>{" "}
          <button type="button" disabled={!leases.hasPrevious} onClick={() => leases.previous()}>
            Previous
          </button>{" "}
          <button type="button" disabled={!leases.hasNext} onClick={() => leases.next()}>Next</button>{" "}
          <button type="button" title="Read this page again" onClick={() => leases.refresh()}>Refresh</button>
        </span>
        <input
          type="search"
          name="q"
          class="filter"
          aria-label="Filter by MAC, address or host name"
          placeholder="Filter: MAC, address, host"
          value={filter}
          onInput={(event) => setQuery({ q: (event.target as HTMLInputElement).value }, { replace: true })}
        />
      </div>
      {(problem ?? leases.error) && <p class="error" role="alert">{problem ?? leases.error}</p>}
      <SortableTable<Lease>
        label="Leases"
        rows={leases.rows}
        rowKey={(lease) => lease.ip}
        rowProps={(lease) => ({ "data-ip": lease.ip, class: lease.state })}
        defaultSort="ip"
        empty={needle ? `No lease matches “${filter}”.` : "No lease yet."}
        columns={[
          { key: "ip", title: "Address", sortValue: (l) => l.ip, render: (l) => l.ip },
          { key: "state", title: "State", sortValue: (l) => l.state, render: (l) => l.state },
          { key: "mac", title: "MAC", sortValue: (l) => l.mac, render: (l) => l.mac },
          { key: "hostname", title: "Host", sortValue: (l) => l.hostname, render: (l) => l.hostname },
          {
            key: "expires",
            title: "Expires",
            sortValue: (l) => Number(l.expiresAt?.seconds ?? 0),
            render: (l) => l.expiresAt ? timestampDate(l.expiresAt).toLocaleString() : "",
          },
          { key: "subnet", title: "Subnet", sortValue: (l) => l.subnetId, render: (l) => l.subnetId },
          {
            key: "actions",
            title: "",
            render: (l) => (
              <span class="actions">
                {reserved.has(l.ip) ? <span class="badge on">reserved</span> : l.state === "bound" && (
                  <button
                    type="button"
                    onClick={() => act(() => neconApi().convertLeaseToReservation({ ip: l.ip }))}
                  >
                    Reserve
                  </button>
                )}
                {l.state === "bound" && (
                  <button
                    type="button"
                    title="Free the address now; the client is refused when it renews"
                    onClick={() => act(() => neconApi().releaseLease({ ip: l.ip }))}
                  >
                    Release
                  </button>
                )}
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
