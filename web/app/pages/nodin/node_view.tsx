import type { InventoryNode } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { usePolled } from "../../polled.ts";
import { formatTime, labelsText, msOf, nodinApi, powerText } from "./api.ts";
import { NodeActions } from "./node_actions.tsx";
import { NodeEdit } from "./node_edit.tsx";

/** The node's history, newest first: fetched again whenever the node changes, and every 5 s. */
function History({ node }: { node: InventoryNode }) {
  const history = usePolled(() => nodinApi().listNodeHistory({ id: node.id, limit: 200 }), 5_000, [
    node.id,
    msOf(node.updated),
  ]);
  return (
    <SortableTable
      label="History"
      name="history"
      rows={history?.entries ?? []}
      rowKey={(e) => String(e.seq)}
      rowProps={(e) => ({ "data-kind": e.kind })}
      columns={[
        { key: "at", title: "When", sortValue: (e) => Number(e.seq), render: (e) => formatTime(e.at) },
        { key: "kind", title: "What", sortValue: (e) => e.kind, render: (e) => e.kind },
        { key: "message", title: "Change", render: (e) => e.message },
        { key: "actor", title: "By", sortValue: (e) => e.actor, render: (e) => e.actor },
      ]}
      empty={history ? "No history." : "Loading…"}
    />
  );
}

/** One node (#/nodin/nodes/<id>): its facts live from the inventory feed, actions, edits and history. */
export function NodeView({ id, node }: { id: string; node?: InventoryNode }) {
  if (!node) return <p class="muted">No node {id} (yet): it may have been deleted.</p>;
  const facts: [string, string, string][] = [
    ["id", "Id", node.id],
    ["lifecycle", "Life-cycle", node.lifecycle],
    ["power", "Power", powerText(node)],
    ["power-evidence", "Power evidence", node.observedPower?.evidence ?? ""],
    ["macs", "MACs", node.macs.join(", ")],
    ["addresses", "Addresses", node.addresses.join(", ")],
    ["machine", "Machine", [node.architecture, node.firmware.toUpperCase()].filter(Boolean).join(" ")],
    ["labels", "Labels", labelsText(node.labels)],
    ["boot-intent", "Boot intent", node.bootIntent],
    ["bmc", "BMC", node.bmc ? `${node.bmc.driver} ${node.bmc.address}` : "none"],
    ["sources", "Seen by", node.sources.map((s) => `${s.source} (${s.detail})`).join("; ")],
    ["last-seen", "Last seen", formatTime(node.lastSeen)],
  ];
  return (
    <>
      <h3>{node.name}</h3>
      <dl class="facts">
        {facts.map(([field, title, value]) => (
          <>
            <dt key={`${field}-t`}>{title}</dt>
            <dd key={field} data-field={field}>{value}</dd>
          </>
        ))}
      </dl>
      <NodeActions node={node} />
      <h3>Edit</h3>
      <NodeEdit key={node.id} node={node} />
      <h3>History</h3>
      <History node={node} />
    </>
  );
}
