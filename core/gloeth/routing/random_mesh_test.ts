import { assert, assertEquals } from "../../testing/assert.ts";
import { below, type Random, seededRandom } from "../../testing/random.ts";
import type { Graph } from "./graph.ts";
import type { NodeId } from "./node_id.ts";
import { broadcastChildren, broadcastParent } from "./shortest_paths.ts";
import { Mesh, nodeIdOf } from "./testdata/mesh.ts";

// Exhaustive checks over seeded random meshes: every node builds its graph from flooded announcements,
// then a broadcast from every source is simulated with every node forwarding by its own
// broadcastChildren, and every route is followed hop by hop. Costs come from a small set so that
// equal-cost paths, and with them the tie-breaking rules, turn up in almost every graph.

const GRAPHS = 200;
const COSTS = [1, 1, 1, 2, 3];

interface Topology {
  readonly ids: NodeId[];
  /** [x, y, x's cost to y, y's cost to x] */
  readonly links: [NodeId, NodeId, number, number][];
}

function randomConnected(random: Random): Topology {
  const count = 2 + below(random, 11);
  // Ids drawn out of order, so that "lowest id" is not also "first created".
  const ids = Array.from({ length: count }, (_, i) => nodeIdOf(1 + i));
  for (let i = ids.length - 1; i > 0; i--) {
    const j = below(random, i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const cost = () => COSTS[below(random, COSTS.length)];
  const linked = new Set<string>();
  const links: Topology["links"] = [];
  const add = (x: NodeId, y: NodeId) => {
    const key = x < y ? x + y : y + x;
    if (x === y || linked.has(key)) return;
    linked.add(key);
    const forward = cost();
    links.push([x, y, forward, below(random, 3) === 0 ? cost() : forward]);
  };
  for (let i = 1; i < count; i++) add(ids[i], ids[below(random, i)]); // a spanning tree: connected
  const density = random() * 0.5;
  for (const x of ids) for (const y of ids) if (random() < density / 2) add(x, y);
  return { ids, links };
}

function buildMesh(random: Random, topology: Topology): Mesh {
  const mesh = new Mesh();
  for (const id of topology.ids) mesh.start(id);
  for (const [x, y, costXY, costYX] of topology.links) mesh.link(x, y, costXY, costYX);
  const order = [...topology.ids].sort(() => random() - 0.5);
  for (const id of order) mesh.originate(id);
  return mesh;
}

function expectedGraph(ids: NodeId[], links: Topology["links"]): Graph {
  const graph: Graph = new Map(ids.map((id) => [id, new Map()]));
  for (const [x, y, costXY, costYX] of links) {
    graph.get(x)!.set(y, Math.max(costXY, costYX));
    graph.get(y)!.set(x, Math.max(costXY, costYX));
  }
  return graph;
}

/**
 * The same graph with every Map filled in a random order. Nodes build their graphs from announcements in
 * arrival order, so nothing may depend on iteration order; shuffling makes any such dependence show.
 */
function shuffled(random: Random, graph: Graph): Graph {
  const shuffle = <T>(items: T[]) => items.sort(() => random() - 0.5);
  return new Map(shuffle([...graph]).map(([id, edges]) => [id, new Map(shuffle([...edges]))]));
}

/** Nodes reachable from `source` over `graph`. */
function component(graph: Graph, source: NodeId): Set<NodeId> {
  const seen = new Set([source]);
  const stack = [source];
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    for (const next of graph.get(at)?.keys() ?? []) if (!seen.has(next)) seen.add(next), stack.push(next);
  }
  return seen;
}

/** Floods a broadcast from `source`; every node uses its own graph. Returns deliveries per node. */
function simulateBroadcast(graphs: Map<NodeId, Graph>, truth: Graph, source: NodeId): Map<NodeId, number> {
  const received = new Map<NodeId, number>();
  const queue = broadcastChildren(graphs.get(source)!, source, source).map((to) => ({ to, from: source }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { to, from } = next;
    assert(truth.get(from)?.has(to), `broadcast sent over a link that does not exist: ${from}→${to}`);
    const graph = graphs.get(to)!;
    assertEquals(broadcastParent(graph, source, to), from, "a broadcast arrived from a non-parent");
    received.set(to, (received.get(to) ?? 0) + 1);
    assert(received.get(to)! <= 1, `${to} received a broadcast from ${source} twice`);
    for (const child of broadcastChildren(graph, source, to)) queue.push({ to: child, from: to });
  }
  return received;
}

function checkBroadcasts(graphs: Map<NodeId, Graph>, truth: Graph, label: string): void {
  for (const source of graphs.keys()) {
    const received = simulateBroadcast(graphs, truth, source);
    const expected = [...component(truth, source)].filter((id) => id !== source).sort();
    assertEquals([...received.keys()].sort(), expected, `${label}: broadcast from ${source}`);
  }
}

/** Follows next hops from every node to every other it has a route to: no loops, the promised cost. */
function checkRoutesLoopFree(mesh: Mesh, live: NodeId[], truth: Graph, label: string): void {
  const tables = new Map(live.map((id) => [id, mesh.routes(id)]));
  for (const source of live) {
    const reachable = component(truth, source);
    assertEquals(tables.get(source)!.size, reachable.size - 1, `${label}: routes from ${source}`);
    for (const [destination, route] of tables.get(source)!) {
      let at = source, cost = 0, hops = 0;
      while (at !== destination) {
        const step = tables.get(at)!.get(destination);
        assert(step !== undefined, `${label}: ${at} has no route to ${destination}`);
        cost += truth.get(at)!.get(step.nextHop)!;
        at = step.nextHop;
        assert(++hops < live.length, `${label}: routing loop from ${source} to ${destination}`);
      }
      assertEquals(cost, route.cost, `${label}: ${source}→${destination} cost`);
    }
  }
}

Deno.test(`random meshes: ${GRAPHS} graphs of 2-12 nodes, every broadcast reaches every node exactly once`, () => {
  const random = seededRandom(0x91_0e_7a);
  for (let g = 0; g < GRAPHS; g++) {
    const topology = randomConnected(random);
    const mesh = buildMesh(random, topology);
    const truth = expectedGraph(topology.ids, topology.links);
    const graphs = new Map(topology.ids.map((id) => [id, shuffled(random, mesh.database(id).graph())]));
    for (const graph of graphs.values()) assertEquals(graph, truth, `graph ${g}: flooding converged`);
    checkBroadcasts(graphs, truth, `graph ${g}`);
    checkRoutesLoopFree(mesh, topology.ids, truth, `graph ${g}`);
  }
});

Deno.test(`random meshes: after a node dies, the survivors route and broadcast around it`, () => {
  const random = seededRandom(0xdead);
  for (let g = 0; g < GRAPHS; g++) {
    const topology = randomConnected(random);
    if (topology.ids.length < 3) continue;
    const mesh = buildMesh(random, topology);
    const victim = topology.ids[below(random, topology.ids.length)];
    mesh.stop(victim);
    const live = topology.ids.filter((id) => id !== victim);
    for (const [x, y] of topology.links) {
      if (x === victim) mesh.unlinkAt(y, x);
      if (y === victim) mesh.unlinkAt(x, y);
    }
    // The neighbors notice the dead link and announce without it; the others have nothing new to say.
    for (const id of live) {
      if (mesh.neighborsOf(id).length < mesh.database(id).get(id)!.neighbors.length) mesh.originate(id);
    }
    const truth = expectedGraph(live, topology.links.filter(([x, y]) => x !== victim && y !== victim));
    const graphs = new Map(live.map((id) => [id, shuffled(random, mesh.database(id).graph())]));
    for (const id of live) assertEquals(mesh.routes(id).has(victim), false, `graph ${g}: route to the dead`);
    checkBroadcasts(graphs, truth, `graph ${g} without ${victim}`);
    checkRoutesLoopFree(mesh, live, truth, `graph ${g} without ${victim}`);
  }
});
