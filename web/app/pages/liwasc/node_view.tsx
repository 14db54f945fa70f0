import { useEffect, useState } from "preact/hooks";
import type { GetNodeResponse, Node, Port, Wake } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { useLiveStream } from "../../live.ts";
import { routeHref, setQuery, useRoute } from "../../route.ts";
import { errorText, formatTime, liwascApi, msOf, wakeStateNames } from "./api.ts";
import { useScanFeed } from "./live.ts";
import { PortScanForm } from "./port_scan_form.tsx";
import { ScanProgress } from "./scan_progress.tsx";
import { WakeWithOptions } from "./wake.tsx";

const portKey = (p: Port) => `${p.port}/${p.protocol}`;

/** The node's ports: what earlier scans found, then each result of running scans as it arrives. */
function usePorts(ip: string) {
  return useLiveStream<{ port?: Port }, Map<string, Port>>(
    (signal) => liwascApi().subscribeToPorts({ ip }, { signal }),
    (table, message) => message.port ? new Map(table).set(portKey(message.port), message.port) : table,
    new Map(),
    [ip],
  );
}

function PortsTable({ ip }: { ip: string }) {
  const { query } = useRoute();
  const ports = usePorts(ip);
  const withClosed = query.get("closed") === "1";
  const rows = [...ports.state.values()].filter((p) => withClosed || p.state !== "closed");
  return (
    <>
      <h3>
        Ports of {ip}{" "}
        <span class={ports.connected ? "dot on" : "dot"} title={ports.connected ? "live" : "reconnecting"} />
      </h3>
      <label>
        <input
          type="checkbox"
          checked={withClosed}
          onChange={(e) => setQuery({ closed: e.currentTarget.checked ? "1" : "" }, { replace: true })}
        />{" "}
        closed ports too
      </label>
      <SortableTable
        label="Ports"
        name="ports"
        rows={rows}
        rowKey={portKey}
        rowProps={(p) => ({ "data-port": portKey(p) })}
        defaultSort="port"
        columns={[
          {
            key: "port",
            title: "Port",
            sortValue: (p) => p.port + (p.protocol === "udp" ? 65536 : 0),
            render: portKey,
          },
          { key: "state", title: "State", sortValue: (p) => p.state, render: (p) => p.state },
          { key: "reason", title: "Reason", render: (p) => p.reason },
          { key: "service", title: "Service", sortValue: (p) => p.service, render: (p) => p.service },
          { key: "description", title: "Description", render: (p) => p.description },
          { key: "detail", title: "Detail", render: (p) => p.detail },
          { key: "seen", title: "Seen", sortValue: (p) => msOf(p.seen), render: (p) => formatTime(p.seen) },
        ]}
        empty={withClosed ? "No port scanned yet." : "No open ports known; closed ones are not listed."}
      />
    </>
  );
}

/** GetNode now and every 10 s (for the stored wakes), or why it failed (no such node, a bad MAC). */
function useNodeDetails(mac: string): { details?: GetNodeResponse; error?: string } {
  const [state, setState] = useState<{ details?: GetNodeResponse; error?: string }>({});
  useEffect(() => {
    let stopped = false;
    const load = () =>
      liwascApi().getNode({ mac }).then(
        (details) => !stopped && setState({ details }),
        (e) => !stopped && setState({ error: errorText(e) }),
      );
    load();
    const timer = setInterval(load, 10_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [mac]);
  return state;
}

/** One node (#/liwasc/nodes/<mac>): its facts, the wake button, port scans and their results, past wakes. */
export function NodeView({ mac, node, wake }: { mac: string; node?: Node; wake?: Wake }) {
  const { details, error: loadError } = useNodeDetails(mac);
  const portScans = useScanFeed("port");
  const [error, setError] = useState<string | null>(null);
  const [chosenIp, setChosenIp] = useState("");
  const shown = node ?? details?.node;
  if (!shown) {
    return (
      <p class={loadError ? "error" : "muted"} role={loadError ? "alert" : undefined}>
        {loadError ?? "Loading…"} <a href={routeHref(["liwasc"])}>All nodes</a>
      </p>
    );
  }
  // Ports and scans follow one of the node's addresses (usually it has one).
  const ip = shown.ips.includes(chosenIp) ? chosenIp : shown.ips[0] ?? "";
  const scans = [...portScans.state.values()].filter((scan) => scan.target === ip);
  const running = scans.filter((scan) => scan.finished === undefined);
  const progress = running.length > 0 ? running : scans.slice(-1);
  const wakes = [...(wake ? [wake] : []), ...(details?.wakes ?? []).filter((w) => w.id !== wake?.id)];
  return (
    <section class="node-view" aria-label={`Node ${shown.mac}`}>
      <p>
        <a href={routeHref(["liwasc"])}>← All nodes</a>
      </p>
      <h3>
        {shown.ips.join(", ") || shown.mac} <span class="muted">{shown.hostname}</span>
      </h3>
      <dl class="facts">
        <dt>MAC</dt>
        <dd>{shown.mac}</dd>
        <dt>Vendor</dt>
        <dd>{shown.vendor || "unknown"}</dd>
        <dt>Power</dt>
        <dd data-field="power">{shown.online ? "on" : "off"}</dd>
        <dt>Interface</dt>
        <dd>{shown.interface}</dd>
        <dt>First / last seen</dt>
        <dd>{formatTime(shown.firstSeen)} / {formatTime(shown.lastSeen)}</dd>
        {shown.conflictsWith.length > 0 && (
          <>
            <dt>Address conflict</dt>
            <dd class="error">also answered by {shown.conflictsWith.join(", ")}</dd>
          </>
        )}
        <dt>Wake</dt>
        <dd>
          <WakeWithOptions mac={shown.mac} wake={wake} />
        </dd>
      </dl>
      {ip
        ? <PortScanForm key={shown.mac} ips={shown.ips} ip={ip} onIp={setChosenIp} />
        : <p class="muted">No known address: nothing to port-scan.</p>}
      {progress.map((scan) => <ScanProgress key={scan.id} scan={scan} onError={setError} />)}
      {error && <p class="error" role="alert">{error}</p>}
      {ip && <PortsTable ip={ip} />}
      {wakes.length > 0 && <h3>Wakes</h3>}
      {wakes.length > 0 && (
        <SortableTable
          label="Wakes"
          name="wakes"
          rows={wakes}
          rowKey={(w) => w.id}
          columns={[
            {
              key: "started",
              title: "Started",
              sortValue: (w) => msOf(w.started),
              render: (w) => formatTime(w.started),
            },
            { key: "state", title: "State", render: (w) => wakeStateNames[w.state] ?? "" },
            { key: "interface", title: "Interface", render: (w) => w.interface },
            { key: "packets", title: "Packets", render: (w) => w.packetsSent },
            { key: "error", title: "Error", render: (w) => w.error },
          ]}
        />
      )}
    </section>
  );
}
