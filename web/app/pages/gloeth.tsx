import { GloethService, type MeshStatus } from "../../../core/api/gen/ctpf/v1/gloeth_pb.ts";
import { client } from "../client.ts";
import { useLiveStream } from "../live.ts";
import { servicePages } from "./registry.ts";

const bytes = (value: bigint) => {
  const n = Number(value);
  return n > 1e9
    ? `${(n / 1e9).toFixed(2)} GB`
    : n > 1e6
    ? `${(n / 1e6).toFixed(1)} MB`
    : `${(n / 1e3).toFixed(1)} kB`;
};

/** gloeth: this node, its links with RTT and bytes, the nodes it reaches and how, the MAC table — live. */
function GloethPage() {
  const live = useLiveStream<{ status?: MeshStatus }, MeshStatus | null>(
    (signal) => client(GloethService).subscribeToMeshStatus({ intervalMs: 1000 }, { signal }),
    (_previous, message) => message.status ?? null,
    null,
  );
  const status = live.state;
  if (!status) {
    return (
      <section>
        <h2>Mesh VPN</h2>
        <p class="muted">{live.error ?? "connecting…"}</p>
      </section>
    );
  }
  const nameOf = new Map(status.nodes.map((node) => [node.nodeId, node.name]));
  const counters = status.counters;
  return (
    <section>
      <h2>
        Mesh VPN{" "}
        <span class={live.connected ? "dot on" : "dot"} title={live.connected ? "live" : "reconnecting"} />
      </h2>
      <p class="muted" data-field="self">
        {status.name} · node {status.nodeId} · network {status.networkId} · {status.tap || "relay (no TAP)"}
      </p>
      <h3>Links</h3>
      <table class="grid" aria-label="Links">
        <thead>
          <tr>
            <th>Peer</th>
            <th>Remote</th>
            <th>Role</th>
            <th>RTT</th>
            <th>In</th>
            <th>Out</th>
          </tr>
        </thead>
        <tbody>
          {status.links.map((link) => (
            <tr key={link.peerId} data-peer={link.peerName}>
              <td>{link.peerName}</td>
              <td>{link.remote}</td>
              <td>{link.role}</td>
              <td data-field="rtt">{link.rttMs.toFixed(2)} ms</td>
              <td>{bytes(link.bytesIn)}</td>
              <td>{bytes(link.bytesOut)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Nodes</h3>
      <table class="grid" aria-label="Nodes">
        <thead>
          <tr>
            <th>Node</th>
            <th>Id</th>
            <th>Reachable</th>
            <th>Next hop</th>
            <th>Cost</th>
          </tr>
        </thead>
        <tbody>
          {status.nodes.map((node) => (
            <tr key={node.nodeId} data-node={node.name}>
              <td>{node.name}</td>
              <td class="muted">{node.nodeId}</td>
              <td data-field="reachable">{node.reachable ? "yes" : "no"}</td>
              <td data-field="next-hop">{nameOf.get(node.nextHop) ?? node.nextHop}</td>
              <td>{node.cost}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>MAC table</h3>
      <table class="grid" aria-label="MAC table">
        <thead>
          <tr>
            <th>MAC</th>
            <th>Behind</th>
          </tr>
        </thead>
        <tbody>
          {status.macs.map((entry) => (
            <tr key={entry.mac} data-mac={entry.mac}>
              <td>{entry.mac}</td>
              <td>{entry.nodeName || entry.nodeId}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {counters && (
        <p class="muted" data-field="counters">
          frames: {String(counters.framesFromTap)} from the TAP, {String(counters.framesToTap)} to it,{" "}
          {String(counters.framesForwarded)} forwarded; dropped: {String(counters.noRoute)} no route,{" "}
          {String(counters.noKeys)} no keys, {String(counters.rejected)} refused end to end
        </p>
      )}
    </section>
  );
}

servicePages.gloeth = GloethPage;
