import type { Neighbor } from "../announcement.ts";
import { LinkStateDatabase } from "../link_state_db.ts";
import type { NodeId } from "../node_id.ts";
import { type Route, routeTable } from "../shortest_paths.ts";
import type { SignedAnnouncement } from "../signed_announcement.ts";
import { fakeVerify, signerFor } from "./fake_signature.ts";

// A simulated mesh that moves announcements between link-state databases the way gloeth's link layer
// will: "new" ones are flooded on every link but the one they came in on, a node whose own old
// announcement came back originates again, and a new link starts with both ends sending everything.

/** Ids whose text order is their numeric order: tie-breaks in tests read as "lowest index wins". */
export const nodeIdOf = (index: number): NodeId => index.toString(16).padStart(32, "0");

interface Delivery {
  readonly to: NodeId;
  readonly from: NodeId;
  readonly signed: SignedAnnouncement;
}

export class Mesh {
  now = 0;
  /** Announcements carried over links, for tests that bound flooding. */
  sent = 0;
  readonly #databases = new Map<NodeId, LinkStateDatabase>();
  /** Links as each end sees them: node → (neighbor → that node's measured cost). */
  readonly #links = new Map<NodeId, Map<NodeId, number>>();

  constructor(readonly maxAgeMs = 60_000) {}

  /** Starts a node with an empty database: a first start, or a restart that lost all state. */
  start(id: NodeId): LinkStateDatabase {
    const database = new LinkStateDatabase(id, fakeVerify, () => this.now, this.maxAgeMs);
    this.#databases.set(id, database);
    if (!this.#links.has(id)) this.#links.set(id, new Map());
    return database;
  }

  /** The node vanishes; its neighbors keep listing it until they unlink (link-down detection). */
  stop(id: NodeId): void {
    this.#databases.delete(id);
  }

  database(id: NodeId): LinkStateDatabase {
    const database = this.#databases.get(id);
    if (database === undefined) throw new Error(`node ${id} is not running`);
    return database;
  }

  link(a: NodeId, b: NodeId, costAtoB = 1, costBtoA = costAtoB): void {
    this.#linksOf(a).set(b, costAtoB);
    this.#linksOf(b).set(a, costBtoA);
  }

  /** One end notices the link is down (both ends, for a physical cut: call it twice). */
  unlinkAt(at: NodeId, peer: NodeId): void {
    this.#linksOf(at).delete(peer);
  }

  neighborsOf(id: NodeId): Neighbor[] {
    return [...this.#linksOf(id)].map(([neighbor, cost]) => ({ id: neighbor, cost }));
  }

  /** The node announces its current links and floods the announcement. */
  originate(id: NodeId): SignedAnnouncement {
    const signed = this.database(id).originate(this.neighborsOf(id), signerFor(id));
    this.#flood(id, signed, undefined);
    return signed;
  }

  /** A link came up: each end sends the other everything it holds. */
  sync(a: NodeId, b: NodeId): void {
    for (const [from, to] of [[a, b], [b, a]]) {
      const queue = this.database(from).all().map((signed) => ({ to, from, signed }));
      this.#deliver(queue);
    }
  }

  routes(id: NodeId): Map<NodeId, Route> {
    const database = this.database(id);
    return routeTable(database.graph(), id);
  }

  /** Every running node originates again: the periodic refresh. */
  refreshAll(): void {
    for (const id of [...this.#databases.keys()].sort()) this.originate(id);
  }

  expireAll(): Map<NodeId, NodeId[]> {
    return new Map([...this.#databases].map(([id, database]) => [id, database.expire()]));
  }

  #linksOf(id: NodeId): Map<NodeId, number> {
    let links = this.#links.get(id);
    if (links === undefined) this.#links.set(id, links = new Map());
    return links;
  }

  #flood(at: NodeId, signed: SignedAnnouncement, cameFrom: NodeId | undefined): void {
    const queue: Delivery[] = [];
    for (const neighbor of [...this.#linksOf(at).keys()].sort()) {
      if (neighbor !== cameFrom) queue.push({ to: neighbor, from: at, signed });
    }
    this.#deliver(queue);
  }

  #deliver(queue: Delivery[]): void {
    for (let delivery = queue.shift(); delivery !== undefined; delivery = queue.shift()) {
      const { to, from, signed } = delivery;
      const receiver = this.#databases.get(to);
      // A frame crosses a link only while both ends are running and both still have the link.
      if (receiver === undefined || !this.#databases.has(from) || !this.#linksOf(to).has(from)) continue;
      if (!this.#linksOf(from).has(to)) continue;
      this.sent++;
      if (receiver.offer(signed) === "new") {
        for (const neighbor of [...this.#linksOf(to).keys()].sort()) {
          if (neighbor !== from) queue.push({ to: neighbor, from: to, signed });
        }
      }
      if (receiver.needsOriginate) this.originate(to);
    }
  }
}
