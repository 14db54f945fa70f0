import { toHexString } from "../net/bytes.ts";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { GloethService } from "../api/gen/ctpf/v1/gloeth_pb.ts";
import { formatMac } from "../net/mac.ts";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import { ticks } from "../stream/ticks.ts";
import type { GloethNode } from "./node/gloeth_node.ts";

/** One snapshot of what the node sees, shaped like the MeshStatus message. */
export function meshStatus(node: GloethNode, name: string, tap: string) {
  const names = new Map(node.directory.all().map((known) => [known.nodeId, known.name]));
  return {
    nodeId: node.nodeId,
    name,
    networkId: toHexString(node.networkId),
    tap,
    links: [...node.links.values()].map((link) => ({
      peerId: link.peer.nodeId,
      peerName: link.peer.certificate.name,
      remote: link.remote,
      role: link.role,
      rttMs: link.rttMs ?? 0,
      bytesIn: BigInt(link.bytesIn),
      bytesOut: BigInt(link.bytesOut),
      since: timestampFromMs(link.openedAt),
    })),
    nodes: node.directory.all().map((known) => {
      const route = node.routes.get(known.nodeId);
      return {
        nodeId: known.nodeId,
        name: known.name,
        reachable: route !== undefined,
        nextHop: route?.nextHop ?? "",
        cost: route?.cost ?? 0,
        sessionSince: timestampFromMs(known.issuedAt),
      };
    }).sort((a, b) => a.name.localeCompare(b.name)),
    macs: node.frames.macEntries().map((entry) => ({
      mac: formatMac(entry.mac),
      nodeId: entry.home,
      nodeName: names.get(entry.home) ?? "",
    })),
    counters: {
      framesFromTap: BigInt(node.counters.framesFromPort),
      framesToTap: BigInt(node.counters.framesToPort),
      framesForwarded: BigInt(node.counters.framesForwarded),
      noRoute: BigInt(node.counters.noRoute),
      noKeys: BigInt(node.counters.noKeys),
      hopLimit: BigInt(node.counters.hopLimit),
      queueFull: BigInt(node.counters.queueFull),
      rejected: BigInt(node.counters.undecryptable),
    },
  };
}

export function registerGloethApi(
  router: ConnectRouter,
  current: () => { node: GloethNode; name: string; tap: string } | undefined,
): void {
  const status = () => {
    const running = current();
    if (!running) throw new ConnectError("the node is still starting", Code.Unavailable);
    return meshStatus(running.node, running.name, running.tap);
  };
  router.service(GloethService, {
    getMeshStatus() {
      return { status: status() };
    },
    // The node publishes no changes: its status is read again every interval.
    subscribeToMeshStatus: (request, context) =>
      snapshotThenChanges({
        changes: ticks(Math.max(200, request.intervalMs || 1000)),
        signal: context.signal,
        snapshot: () => [{ status: status() }],
        toMessage: () => ({ status: status() }),
      }),
  });
}
