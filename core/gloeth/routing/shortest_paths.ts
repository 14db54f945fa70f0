import type { Graph } from "./graph.ts";
import { MinHeap } from "./min_heap.ts";
import type { NodeId } from "./node_id.ts";

// Dijkstra over the two-way graph. Every node runs it on the same graph (once flooding has converged), so
// ties must be broken by something every node sees identically: node ids, never iteration order.

export interface Route {
  /** The neighbor to send to. */
  readonly nextHop: NodeId;
  /** Sum of link costs (ms of RTT) along the path. */
  readonly cost: number;
}

/** Shortest distances from `root`, and the reachable nodes in the order of non-decreasing distance. */
function settle(graph: Graph, root: NodeId): { distance: Map<NodeId, number>; order: NodeId[] } {
  const distance = new Map<NodeId, number>([[root, 0]]);
  const order: NodeId[] = [];
  const settled = new Set<NodeId>();
  const heap = new MinHeap();
  heap.push(0, root);
  for (let next = heap.pop(); next !== undefined; next = heap.pop()) {
    const { priority, id } = next;
    if (settled.has(id)) continue;
    settled.add(id);
    order.push(id);
    for (const [neighbor, cost] of graph.get(id) ?? []) {
      // Positive costs make every shortest-path predecessor strictly closer to the root, which the tie
      // breaking below and the loop-freedom of hop-by-hop forwarding both depend on.
      if (!(cost > 0) || !Number.isFinite(cost)) {
        throw new RangeError(`link ${id}→${neighbor} has cost ${cost}, costs must be positive`);
      }
      const known = distance.get(neighbor);
      if (known === undefined || priority + cost < known) {
        distance.set(neighbor, priority + cost);
        heap.push(priority + cost, neighbor);
      }
    }
  }
  return { distance, order };
}

/**
 * Calls `visit` for every edge that lies on some shortest path from `root`, tail nodes in order of
 * distance: by the time an edge out of a node is visited, every edge into it has been.
 */
function forEachShortestPathEdge(
  graph: Graph,
  root: NodeId,
  visit: (from: NodeId, to: NodeId, toDistance: number) => void,
): void {
  const { distance, order } = settle(graph, root);
  for (const from of order) {
    const fromDistance = distance.get(from)!;
    for (const [to, cost] of graph.get(from) ?? []) {
      const toDistance = distance.get(to)!;
      if (fromDistance + cost === toDistance) visit(from, to, toDistance);
    }
  }
}

/**
 * The route from `self` to every reachable node. Among equally short paths the one whose first hop has
 * the lowest id wins, so the choice does not depend on Map order. Forwarding hop by hop along these is
 * loop-free whenever nodes share a graph: each next hop is strictly closer to the destination.
 */
export function routeTable(graph: Graph, self: NodeId): Map<NodeId, Route> {
  const routes = new Map<NodeId, Route>();
  forEachShortestPathEdge(graph, self, (from, to, cost) => {
    const nextHop = from === self ? to : routes.get(from)!.nextHop;
    const current = routes.get(to);
    if (current === undefined || nextHop < current.nextHop) routes.set(to, { nextHop, cost });
  });
  return routes;
}

/**
 * The shortest-path tree rooted at `source`, as each reachable node's parent (the source has none).
 * Among equally short ways in, the lowest-id predecessor is the parent. Every node computes the same tree
 * from the same graph, which is what lets a broadcast reach each node exactly once with no per-frame
 * state. O(E log V): callers forwarding many frames cache it per (graph, source).
 */
export function broadcastTree(graph: Graph, source: NodeId): Map<NodeId, NodeId> {
  const parents = new Map<NodeId, NodeId>();
  forEachShortestPathEdge(graph, source, (from, to) => {
    const current = parents.get(to);
    if (current === undefined || from < current) parents.set(to, from);
  });
  return parents;
}

/** The neighbors of `self` to forward a broadcast from `source` to: self's children in source's tree. */
export function broadcastChildren(graph: Graph, source: NodeId, self: NodeId): NodeId[] {
  const children: NodeId[] = [];
  for (const [node, parent] of broadcastTree(graph, source)) {
    if (parent === self) children.push(node);
  }
  return children.sort();
}

/**
 * The one neighbor a broadcast from `source` should arrive from (undefined at the source itself or when
 * it is unreachable). While graphs still differ between nodes after a change, their trees can disagree
 * and a frame could be delivered twice or circle. Dropping broadcasts that arrive from anyone else stops
 * most of that; only a hop limit in the frame itself rules circling out entirely.
 */
export function broadcastParent(graph: Graph, source: NodeId, self: NodeId): NodeId | undefined {
  return broadcastTree(graph, source).get(self);
}
