import { assertEquals, assertThrows } from "../../testing/assert.ts";
import type { Graph } from "./graph.ts";
import { broadcastChildren, broadcastParent, broadcastTree, routeTable } from "./shortest_paths.ts";

const [A, B, C, D, E] = ["a", "b", "c", "d", "e"].map((letter) => letter.repeat(32));

/** An undirected graph from [x, y, cost] triples. */
function graphOf(edges: [string, string, number][]): Graph {
  const graph: Graph = new Map();
  for (const [x, y, cost] of edges) {
    for (const [from, to] of [[x, y], [y, x]]) {
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, cost);
    }
  }
  return graph;
}

Deno.test("shortest paths: a chain routes through the middle", () => {
  const chain = graphOf([[A, B, 1], [B, C, 1]]);
  assertEquals(routeTable(chain, A), new Map([[B, { nextHop: B, cost: 1 }], [C, { nextHop: B, cost: 2 }]]));
  assertEquals(routeTable(chain, B), new Map([[A, { nextHop: A, cost: 1 }], [C, { nextHop: C, cost: 1 }]]));
});

Deno.test("shortest paths: costs decide, and equal costs go to the lowest next-hop id", () => {
  const ring = graphOf([[A, B, 1], [B, C, 1], [C, D, 1], [D, A, 1]]);
  assertEquals(routeTable(ring, A).get(C), { nextHop: B, cost: 2 });
  assertEquals(routeTable(ring, C).get(A), { nextHop: B, cost: 2 });
  // Whatever order the maps were filled in.
  const reversed = graphOf([[D, A, 1], [C, D, 1], [B, C, 1], [A, B, 1]]);
  assertEquals(routeTable(reversed, A).get(C), { nextHop: B, cost: 2 });
  const slowB = graphOf([[A, B, 1], [B, C, 5], [C, D, 1], [D, A, 1]]);
  assertEquals(routeTable(slowB, A).get(C), { nextHop: D, cost: 2 });
  // A direct but slow link loses to a fast detour.
  const detour = graphOf([[A, C, 10], [A, B, 2], [B, C, 3]]);
  assertEquals(routeTable(detour, A).get(C), { nextHop: B, cost: 5 });
});

Deno.test("shortest paths: the lowest first hop wins even when it is not the lowest parent", () => {
  // E is 3 away both by A→B→D→E and by A→C→E. Routes prefer the lower first hop (B); the broadcast tree
  // prefers the lower parent (C, not D). Each rule only has to be the same on every node.
  const graph = graphOf([[A, B, 1], [A, C, 1], [B, D, 1], [D, E, 1], [C, E, 2]]);
  assertEquals(routeTable(graph, A).get(E), { nextHop: B, cost: 3 });
  assertEquals(broadcastParent(graph, A, E), C);
});

Deno.test("shortest paths: unreachable and unknown nodes have no route", () => {
  const split = graphOf([[A, B, 1], [C, D, 1]]);
  assertEquals([...routeTable(split, A).keys()], [B]);
  assertEquals(routeTable(split, E), new Map());
  assertEquals(broadcastChildren(split, E, A), []);
});

Deno.test("shortest paths: non-positive costs are refused", () => {
  assertThrows(() => routeTable(graphOf([[A, B, 0]]), A), RangeError);
  assertThrows(() => routeTable(graphOf([[A, B, Number.NaN]]), A), RangeError);
});

Deno.test("broadcast: each node forwards to its children in the source's shortest-path tree", () => {
  // A diamond: from A, D is reached through B and C equally; its parent is the lower id, B.
  const diamond = graphOf([[A, B, 1], [A, C, 1], [B, D, 1], [C, D, 1], [D, E, 1]]);
  assertEquals(broadcastTree(diamond, A), new Map([[B, A], [C, A], [D, B], [E, D]]));
  assertEquals(broadcastChildren(diamond, A, A), [B, C]);
  assertEquals(broadcastChildren(diamond, A, B), [D]);
  assertEquals(broadcastChildren(diamond, A, C), []);
  assertEquals(broadcastChildren(diamond, A, D), [E]);
  assertEquals(broadcastParent(diamond, A, A), undefined);
  // From E the tree is different: D forwards to both B and C, and B to A.
  assertEquals(broadcastChildren(diamond, E, D), [B, C]);
  assertEquals(broadcastChildren(diamond, E, B), [A]);
  assertEquals(broadcastChildren(diamond, E, C), []);
});
