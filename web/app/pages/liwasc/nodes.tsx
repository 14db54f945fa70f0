import { useState } from "preact/hooks";
import type { Node, Scan, Wake } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { usePolled } from "../../polled.ts";
import { routeHref, setQuery, useRoute } from "../../route.ts";
import { addressOrder, errorText, formatTime, liwascApi, msOf, nodeHref } from "./api.ts";
import { useScanFeed } from "./live.ts";
import { ScanProgress } from "./scan_progress.tsx";
import { WakeButton } from "./wake.tsx";

/** Whether the filter text is in the node's MAC, an address, the vendor or the name (any case). */
function matches(node: Node, filter: string): boolean {
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return true;
  return [node.mac, ...node.ips, node.vendor, node.hostname].some((text) =>
    text.toLowerCase().includes(wanted)
  );
}

function nodeColumns(wakes: Map<string, Wake>): Column<Node>[] {
  return [
    {
      key: "power",
      title: "Power",
      sortValue: (n) => n.online ? 0 : 1,
      render: (n) => n.online ? "on" : "off",
    },
    {
      key: "address",
      title: "Address",
      sortValue: (n) => addressOrder(n.ips[0]),
      render: (n) => (
        <>
          {n.ips.join(", ")}
          {n.conflictsWith.length > 0 && (
            <span class="error" title={`also answered by ${n.conflictsWith.join(", ")}`}>conflict</span>
          )}
        </>
      ),
    },
    {
      key: "mac",
      title: "MAC",
      sortValue: (n) => n.mac,
      render: (n) => <a href={nodeHref(n.mac)}>{n.mac}</a>,
    },
    { key: "vendor", title: "Vendor", sortValue: (n) => n.vendor, render: (n) => n.vendor },
    { key: "name", title: "Name", sortValue: (n) => n.hostname, render: (n) => n.hostname },
    { key: "ports", title: "Open ports", render: (n) => n.openPorts.join(" ") },
    {
      key: "seen",
      title: "Last seen",
      sortValue: (n) => msOf(n.lastSeen),
      render: (n) => formatTime(n.lastSeen),
    },
    {
      key: "wake",
      title: "Wake",
      field: "actions",
      render: (n) => <WakeButton mac={n.mac} wake={wakes.get(n.mac)} />,
    },
  ];
}

/** The node table (filter and order in the URL), the scan button and the running node scans. */
export function NodesView(props: { nodes: Map<string, Node>; connected: boolean; wakes: Map<string, Wake> }) {
  const { query } = useRoute();
  const filter = query.get("q") ?? "";
  const metadata = usePolled(() => liwascApi().getScannerMetadata({}), 10_000);
  const scans = useScanFeed("node");
  const [scanInterface, setScanInterface] = useState("");
  const [error, setError] = useState<string | null>(null);
  const interfaces = metadata?.interfaces ?? [];
  const rows = [...props.nodes.values()].filter((node) => matches(node, filter));
  // The running scans and the latest finished one, so an ended scan's outcome stays in view.
  const feed = [...scans.state.values()];
  const shown = feed.filter((scan: Scan) => scan.finished === undefined).concat(
    feed.filter((scan) => scan.finished !== undefined).slice(-1),
  );
  const scan = () =>
    liwascApi().startNodeScan({ interface: scanInterface }).then(
      () => setError(null),
      (e) => setError(errorText(e)),
    );
  return (
    <>
      {metadata && interfaces.length === 0 && (
        <p class="notice" data-field="no-interfaces">
          No interface is chosen, so nothing is scanned or woken.{" "}
          <a href={routeHref(["liwasc", "settings"])}>Choose scan interfaces</a>
        </p>
      )}
      {interfaces.length > 0 && (
        <p class="muted" data-field="interfaces">
          Interfaces:{" "}
          {interfaces.map((i) => `${i.name} (${i.subnets.join(", ") || "no address"})`).join(", ")}
        </p>
      )}
      <div class="toolbar">
        {interfaces.length > 1 && (
          <select
            aria-label="Interface to scan"
            value={scanInterface}
            onChange={(e) => setScanInterface(e.currentTarget.value)}
          >
            <option value="">all interfaces</option>
            {interfaces.map((i) => <option key={i.name} value={i.name}>{i.name}</option>)}
          </select>
        )}
        <button type="button" disabled={interfaces.length === 0} onClick={scan}>Scan network</button>
      </div>
      {shown.map((s) => <ScanProgress key={s.id} scan={s} onError={setError} />)}
      {error && <p class="error" role="alert">{error}</p>}
      <h3>
        Nodes{" "}
        <span class={props.connected ? "dot on" : "dot"} title={props.connected ? "live" : "reconnecting"} />
      </h3>
      <input
        type="search"
        name="filter"
        aria-label="Filter nodes"
        placeholder="Filter by MAC, address, vendor or name"
        value={filter}
        onInput={(e) => setQuery({ q: e.currentTarget.value }, { replace: true })}
      />
      <SortableTable
        label="Nodes"
        rows={rows}
        columns={nodeColumns(props.wakes)}
        rowKey={(n) => n.mac}
        rowProps={(n) => ({ "data-mac": n.mac, class: n.online ? "online" : "offline" })}
        defaultSort="address"
        empty={props.nodes.size === 0
          ? "No nodes known yet: scan the network."
          : "No node matches the filter."}
      />
    </>
  );
}
