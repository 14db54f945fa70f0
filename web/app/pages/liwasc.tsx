import { useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  LiwascService,
  type Node,
  type Port,
  type Scan,
  ScanState,
  TcpScanMethod,
  type Wake,
  WakeState,
} from "../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { client } from "../client.ts";
import { useLiveStream } from "../live.ts";
import { usePolled } from "../polled.ts";
import { servicePages } from "./registry.ts";

const api = () => client(LiwascService);
const byAddress = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
const wakeStateNames: Record<number, string> = {
  [WakeState.SENT]: "sent",
  [WakeState.WAITING]: "waiting",
  [WakeState.AWAKE]: "awake",
  [WakeState.TIMED_OUT]: "timed out",
  [WakeState.CANCELLED]: "cancelled",
  [WakeState.FAILED]: "failed",
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ScanProgress({ scan }: { scan: Scan }) {
  const running = scan.state === ScanState.RUNNING;
  return (
    <div class="muted" data-scan={scan.id}>
      {scan.target} {scan.ports && `(${scan.ports})`}: {scan.done}/{scan.total}, {scan.found} found
      {running
        ? (
          <button type="button" onClick={() => api().cancelScan({ id: scan.id }).catch(() => {})}>
            Cancel
          </button>
        )
        : ` — ${ScanState[scan.state].toLowerCase()}`}
    </div>
  );
}

function NodeDetail({ node, onClose }: { node: Node; onClose: () => void }) {
  const ports = useLiveStream<{ port?: Port }, Map<string, Port>>(
    (signal) => api().subscribeToPorts({ ip: node.ips[0] ?? "" }, { signal }),
    (table, message) =>
      message.port
        ? new Map(table).set(`${message.port.port}/${message.port.protocol}`, message.port)
        : table,
    new Map(),
    [node.mac],
  );
  const [tcpPorts, setTcpPorts] = useState("top:100");
  const [udpPorts, setUdpPorts] = useState("");
  const [halfOpen, setHalfOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = [...ports.state.values()].filter((p) => p.state !== "closed")
    .sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  return (
    <section class="detail" aria-label={`Node ${node.mac}`}>
      <h3>
        {node.ips.join(", ") || node.mac} <span class="muted">{node.mac} {node.vendor}</span>{" "}
        <button type="button" onClick={onClose}>Close</button>
      </h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          api().startPortScan({
            ip: node.ips[0] ?? "",
            tcpPorts,
            udpPorts,
            tcpMethod: halfOpen ? TcpScanMethod.SYN : TcpScanMethod.CONNECT,
          }).then(
            () => setError(null),
            (e) => setError(errorText(e)),
          );
        }}
      >
        <label>
          TCP ports <input name="tcp" value={tcpPorts} onInput={(e) => setTcpPorts(e.currentTarget.value)} />
        </label>{" "}
        <label>
          UDP ports <input name="udp" value={udpPorts} onInput={(e) => setUdpPorts(e.currentTarget.value)} />
        </label>{" "}
        <label title="half-open SYN probes over a raw socket: faster, and no service sees a connection">
          <input type="checkbox" checked={halfOpen} onChange={(e) => setHalfOpen(e.currentTarget.checked)} />
          {" "}
          SYN
        </label>{" "}
        <button type="submit">Scan ports</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="grid" aria-label="Ports">
        <thead>
          <tr>
            <th>Port</th>
            <th>State</th>
            <th>Service</th>
            <th>Description</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((port) => (
            <tr key={`${port.port}/${port.protocol}`} data-port={`${port.port}/${port.protocol}`}>
              <td>{port.port}/{port.protocol}</td>
              <td data-field="state">{port.state}</td>
              <td>{port.service}</td>
              <td>{port.description}</td>
              <td>{port.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p class="muted">No open ports known; closed ones are not listed.</p>}
    </section>
  );
}

/** liwasc: the node table (power state, MAC, address, vendor, name, open ports), scans, wakes, details. */
function LiwascPage() {
  const metadata = usePolled(() => api().getScannerMetadata({}), 10_000);
  const nodes = useLiveStream<{ node?: Node }, Map<string, Node>>(
    (signal) => api().subscribeToNodes({}, { signal }),
    (table, message) => message.node ? new Map(table).set(message.node.mac, message.node) : table,
    new Map(),
  );
  const scans = useLiveStream<{ scan?: Scan }, Map<string, Scan>>(
    (signal) => api().subscribeToNodeScans({}, { signal }),
    (table, message) => message.scan ? new Map(table).set(message.scan.id, message.scan) : table,
    new Map(),
  );
  const portScans = useLiveStream<{ scan?: Scan }, Map<string, Scan>>(
    (signal) => api().subscribeToPortScans({}, { signal }),
    (table, message) => message.scan ? new Map(table).set(message.scan.id, message.scan) : table,
    new Map(),
  );
  const wakes = useLiveStream<{ wake?: Wake }, Map<string, Wake>>(
    (signal) => api().subscribeToWakes({}, { signal }),
    (table, message) => message.wake ? new Map(table).set(message.wake.mac, message.wake) : table,
    new Map(),
  );
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rows = [...nodes.state.values()].sort((a, b) => byAddress(a.ips[0] ?? "", b.ips[0] ?? ""));
  const act = (work: () => Promise<unknown>) =>
    work().then(() => setError(null), (e) => setError(errorText(e)));
  const selectedNode = selected ? nodes.state.get(selected) : undefined;
  const recentScans = [...scans.state.values(), ...portScans.state.values()].slice(-4);
  return (
    <section>
      <h2>Scan &amp; wake</h2>
      <p class="muted">
        Interfaces: {metadata?.interfaces.length
          ? metadata.interfaces.map((i) => `${i.name} (${i.subnets.join(", ") || "no address"})`).join(", ")
          : "none (start with --scan-interfaces)"}
      </p>
      <button type="button" onClick={() => act(() => api().startNodeScan({}))}>Scan network</button>
      {recentScans.map((scan) => <ScanProgress key={scan.id} scan={scan} />)}
      {error && <p class="error" role="alert">{error}</p>}
      <h3>
        Nodes{" "}
        <span class={nodes.connected ? "dot on" : "dot"} title={nodes.connected ? "live" : "reconnecting"} />
      </h3>
      <table class="grid" aria-label="Nodes">
        <thead>
          <tr>
            <th>Power</th>
            <th>Address</th>
            <th>MAC</th>
            <th>Vendor</th>
            <th>Name</th>
            <th>Open ports</th>
            <th>Last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((node) => {
            const wake = wakes.state.get(node.mac);
            return (
              <tr key={node.mac} data-mac={node.mac} class={node.online ? "online" : "offline"}>
                <td data-field="power">{node.online ? "on" : "off"}</td>
                <td>
                  {node.ips.join(", ")}
                  {node.conflictsWith.length > 0 && (
                    <span class="error" title={`also answered by ${node.conflictsWith.join(", ")}`}>
                      {" "}conflict
                    </span>
                  )}
                </td>
                <td>{node.mac}</td>
                <td>{node.vendor}</td>
                <td>{node.hostname}</td>
                <td data-field="ports">{node.openPorts.join(" ")}</td>
                <td>{node.lastSeen ? timestampDate(node.lastSeen).toLocaleTimeString() : ""}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => setSelected(node.mac)}
                  >
                    Details
                  </button>{" "}
                  <button type="button" onClick={() => act(() => api().startWake({ mac: node.mac }))}>
                    Wake
                  </button>
                  {wake && <span data-field="wake">{wakeStateNames[wake.state] ?? ""}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <p class="muted">No nodes known yet: scan the network.</p>}
      {selectedNode && <NodeDetail node={selectedNode} onClose={() => setSelected(null)} />}
    </section>
  );
}

servicePages.liwasc = LiwascPage;
