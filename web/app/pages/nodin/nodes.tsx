import { useState } from "preact/hooks";
import type { InventoryNode } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { setQuery, useRoute } from "../../route.ts";
import { errorText, formatTime, labelsText, msOf, nodeHref, nodinApi, powerText } from "./api.ts";

const lifecycles = ["discovered", "enrolled", "provisioning", "ready", "deployed", "retired"];

/** Whether the filter text is in the node's name, id, a MAC, an address or a label (any case). */
function matches(node: InventoryNode, filter: string): boolean {
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return true;
  return [node.name, node.id, ...node.macs, ...node.addresses, labelsText(node.labels)].some((text) =>
    text.toLowerCase().includes(wanted)
  );
}

function EnrolButton({ node, onError }: { node: InventoryNode; onError: (e: string | null) => void }) {
  const [busy, setBusy] = useState(false);
  if (node.lifecycle !== "discovered" && node.lifecycle !== "retired") return null;
  const enrol = () => {
    setBusy(true);
    nodinApi().enrolNode({ id: node.id }).then(() => onError(null), (e) => onError(errorText(e))).finally(
      () => setBusy(false),
    );
  };
  return <button type="button" disabled={busy} onClick={enrol}>Enrol</button>;
}

function columns(onError: (e: string | null) => void): Column<InventoryNode>[] {
  return [
    {
      key: "name",
      title: "Name",
      sortValue: (n) => n.name,
      render: (n) => <a href={nodeHref(n.id)}>{n.name}</a>,
    },
    {
      key: "lifecycle",
      title: "Life-cycle",
      sortValue: (n) => lifecycles.indexOf(n.lifecycle),
      render: (n) => (
        <span class={`badge ${n.lifecycle === "discovered" ? "warn" : "on"}`}>{n.lifecycle}</span>
      ),
    },
    { key: "power", title: "Power", sortValue: (n) => powerText(n), render: powerText },
    {
      key: "provider",
      title: "Provider",
      sortValue: (n) => n.provider,
      render: (n) => n.providerRef ? <span title={n.providerRef}>{n.provider}</span> : n.provider,
    },
    { key: "mac", title: "MAC", sortValue: (n) => n.macs[0] ?? "", render: (n) => n.macs.join(", ") },
    {
      key: "address",
      title: "Address",
      sortValue: (n) => n.addresses[0] ?? "",
      render: (n) => n.addresses.join(", "),
    },
    {
      key: "arch",
      title: "Machine",
      sortValue: (n) => n.architecture,
      render: (n) => [n.architecture, n.firmware.toUpperCase()].filter(Boolean).join(" "),
    },
    { key: "labels", title: "Labels", render: (n) => labelsText(n.labels) },
    {
      key: "sources",
      title: "Seen by",
      sortValue: (n) => n.sources.length,
      render: (n) => n.sources.map((s) => s.source).join(", "),
    },
    {
      key: "seen",
      title: "Last seen",
      sortValue: (n) => msOf(n.lastSeen),
      render: (n) => formatTime(n.lastSeen),
    },
    { key: "actions", title: "", render: (n) => <EnrolButton node={n} onError={onError} /> },
  ];
}

/** The live node table; the text filter, the life-cycle filter and the order are kept in the URL. */
export function NodesView(props: { nodes: Map<string, InventoryNode>; connected: boolean }) {
  const { query } = useRoute();
  const filter = query.get("q") ?? "";
  const lifecycle = query.get("lifecycle") ?? "";
  const [error, setError] = useState<string | null>(null);
  const rows = [...props.nodes.values()].filter((node) =>
    matches(node, filter) && (!lifecycle || node.lifecycle === lifecycle)
  );
  return (
    <>
      <h3>
        Nodes{" "}
        <span class={props.connected ? "dot on" : "dot"} title={props.connected ? "live" : "reconnecting"} />
      </h3>
      <div class="toolbar">
        <input
          type="search"
          name="q"
          aria-label="Filter nodes"
          placeholder="Filter by name, MAC, address or label"
          value={filter}
          onInput={(e) => setQuery({ q: e.currentTarget.value }, { replace: true })}
        />
        <select
          name="lifecycle"
          aria-label="Life-cycle"
          value={lifecycle}
          onChange={(e) => setQuery({ lifecycle: e.currentTarget.value }, { replace: true })}
        >
          <option value="">every life-cycle</option>
          {lifecycles.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <SortableTable
        label="Nodes"
        rows={rows}
        columns={columns(setError)}
        rowKey={(n) => n.id}
        rowProps={(n) => ({ "data-id": n.id, "data-mac": n.macs[0], "data-lifecycle": n.lifecycle })}
        defaultSort="name"
        empty={props.nodes.size === 0
          ? "No nodes yet: they appear when necon leases, liwasc scans or bofied boots them."
          : "No node matches the filter."}
      />
    </>
  );
}
