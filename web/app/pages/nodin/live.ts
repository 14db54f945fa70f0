import type { InventoryNode } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { useLiveStream } from "../../live.ts";
import { nodinApi } from "./api.ts";

/** Every node by id, kept current from WatchInventory (a removed node leaves the map). */
export function useInventory() {
  return useLiveStream<{ node?: InventoryNode; removed: boolean }, Map<string, InventoryNode>>(
    (signal) => nodinApi().watchInventory({}, { signal }),
    (table, message) => {
      if (!message.node) return table;
      const next = new Map(table);
      if (message.removed) next.delete(message.node.id);
      else next.set(message.node.id, message.node);
      return next;
    },
    new Map(),
  );
}
