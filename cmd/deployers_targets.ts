// The all-in-one's deployment targets: nodin's inventory in process, adapted here so that the deployers'
// folder never imports nodin's. A bad selector is nodin's own refusal (naming label_selector).
import type { InventoryNode, TargetSource } from "../core/deployers/model.ts";
import { InputError } from "../core/errors/input_error.ts";
import type { NodeRecord } from "../core/nodin/model.ts";
import type { Nodin } from "../core/nodin/nodin.ts";

function inventoryNode(node: NodeRecord): InventoryNode {
  return {
    id: node.id,
    name: node.name,
    labels: node.labels,
    provider: node.provider,
    addresses: node.addresses,
    architecture: node.architecture,
    lifecycle: node.lifecycle,
  };
}

export function nodinTargets(nodin: Nodin): TargetSource {
  return {
    nodes(labelSelector, nodeIds) {
      const picked = new Map<string, NodeRecord>();
      if (labelSelector.trim() || nodeIds.length === 0) {
        for (const node of nodin.list({ labelSelector })) picked.set(node.id, node);
      }
      for (const [index, id] of nodeIds.entries()) {
        const node = nodin.get(id);
        if (!node) throw new InputError(`node_ids[${index}]`, `no node ${id}`, "not-found");
        picked.set(id, node);
      }
      return Promise.resolve([...picked.values()].map(inventoryNode));
    },
  };
}
