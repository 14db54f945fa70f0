import type { Node, Scan, Wake } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { useLiveStream } from "../../live.ts";
import { liwascApi } from "./api.ts";

/** Every known node by MAC, kept current from SubscribeToNodes. */
export function useNodes() {
  return useLiveStream<{ node?: Node }, Map<string, Node>>(
    (signal) => liwascApi().subscribeToNodes({}, { signal }),
    (table, message) => message.node ? new Map(table).set(message.node.mac, message.node) : table,
    new Map(),
  );
}

/** The latest wake of each MAC started while the page is open (SubscribeToWakes sends only changes). */
export function useWakes() {
  return useLiveStream<{ wake?: Wake }, Map<string, Wake>>(
    (signal) => liwascApi().subscribeToWakes({}, { signal }),
    (table, message) => message.wake ? new Map(table).set(message.wake.mac, message.wake) : table,
    new Map(),
  );
}

/** Scans of one kind by id: the running ones first, then each one's progress until it ends. */
export function useScanFeed(kind: "node" | "port") {
  return useLiveStream<{ scan?: Scan }, Map<string, Scan>>(
    (signal) =>
      kind === "node"
        ? liwascApi().subscribeToNodeScans({}, { signal })
        : liwascApi().subscribeToPortScans({}, { signal }),
    (table, message) => message.scan ? new Map(table).set(message.scan.id, message.scan) : table,
    new Map(),
  );
}
