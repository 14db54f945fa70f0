import type { Announcement } from "./announcement.ts";
import type { NodeId } from "./node_id.ts";

/** Adjacency: node → (neighbor → cost). Built by twoWayGraph it is symmetric: a→b exists iff b→a does. */
export type Graph = Map<NodeId, Map<NodeId, number>>;

/**
 * The links both ends vouch for. A link counts only when each end announces the other: a node that died
 * keeps "claiming" its old links in its last announcement until that expires, and a node can claim
 * anything about itself, but neither can make traffic flow towards it without the far end agreeing.
 *
 * Each end measures the link's RTT itself, so the two costs differ slightly; the edge takes the larger in
 * both directions. Every node then sees the same symmetric graph, which the broadcast trees rely on.
 */
export function twoWayGraph(announcements: Iterable<Announcement>): Graph {
  const claims = new Map<NodeId, Map<NodeId, number>>();
  for (const { origin, neighbors } of announcements) {
    claims.set(origin, new Map(neighbors.map(({ id, cost }) => [id, cost])));
  }
  const graph: Graph = new Map();
  for (const [origin, claimed] of claims) {
    const edges = new Map<NodeId, number>();
    for (const [neighbor, cost] of claimed) {
      const reverseCost = claims.get(neighbor)?.get(origin);
      if (reverseCost !== undefined) edges.set(neighbor, Math.max(cost, reverseCost));
    }
    graph.set(origin, edges);
  }
  return graph;
}
