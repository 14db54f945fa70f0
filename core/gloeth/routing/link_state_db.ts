import {
  type Announcement,
  decodeAnnouncement,
  encodeAnnouncement,
  MAX_SEQUENCE,
  type Neighbor,
} from "./announcement.ts";
import { type Graph, twoWayGraph } from "./graph.ts";
import { type NodeId, requireNodeId } from "./node_id.ts";
import { SIGNATURE_LENGTH, type SignedAnnouncement } from "./signed_announcement.ts";

/** "new": stored, and the caller floods it on every link except the one it came in on. */
export type OfferResult = "new" | "stale" | "invalid";

/** Ed25519 verification against the origin's key (from its certificate); false for unknown origins. */
export type VerifyAnnouncement = (origin: NodeId, body: Uint8Array, signature: Uint8Array) => boolean;

/** Ed25519 signature by this node's key over `body`: 64 bytes. */
export type SignAnnouncement = (body: Uint8Array) => Uint8Array;

interface Stored {
  readonly signed: SignedAnnouncement;
  readonly announcement: Announcement;
  /** By the local clock: origins' clocks disagree with ours, so ages are measured from arrival. */
  readonly receivedAt: number;
}

/**
 * Every node's newest announcement, this node's own included. Pure state: the caller moves announcements
 * between links, calls expire() periodically and recomputes routes from graph() after anything changed.
 *
 * Liveness comes from refreshing: each node must originate again well within maxAgeMs (every third of it,
 * say) even when nothing changed, or the others forget it. Sequence numbers are uint32 and do not wrap.
 */
export class LinkStateDatabase {
  readonly #stored = new Map<NodeId, Stored>();
  /** The highest sequence known to have been signed by this node, in this run or a previous one. */
  #ownSequence = 0;
  #needsOriginate = false;

  constructor(
    readonly self: NodeId,
    private readonly verify: VerifyAnnouncement,
    private readonly now: () => number,
    readonly maxAgeMs = 60_000,
  ) {
    requireNodeId(self);
  }

  /**
   * Takes an announcement received from a link. Never throws for malformed input. Anything not newer than
   * what is stored is "stale" before its signature is checked: every announcement arrives once per link,
   * and verifying the duplicates would be wasted work. A forged old one is dropped either way. An equal
   * sequence is stale even if the bytes differ: only the origin can tell which is its own (see #offerOwn).
   */
  offer(signed: SignedAnnouncement): OfferResult {
    if (signed.signature.length !== SIGNATURE_LENGTH) return "invalid";
    const decoded = decodeAnnouncement(signed.body);
    if (!decoded.ok) return "invalid";
    const announcement = decoded.value;
    const { origin, sequence } = announcement;
    if (origin === this.self) return this.#offerOwn(signed, sequence);
    const stored = this.#stored.get(origin);
    if (stored !== undefined && sequence <= stored.announcement.sequence) return "stale";
    if (!this.verify(origin, signed.body, signed.signature)) return "invalid";
    this.#stored.set(origin, {
      signed: { body: signed.body.slice(), signature: signed.signature.slice() },
      announcement,
      receivedAt: this.now(),
    });
    return "new";
  }

  /**
   * Our own announcement coming back. Normally it is the newest one, echoed by a neighbor. Anything else
   * that we signed was signed by a previous run of this node (before a restart): the mesh holds it as our
   * newest and calls what we originate now stale, even at an equal sequence. It is not flooded, and not
   * stored, since it lists links we may no longer have; our next announcement jumps past it.
   */
  #offerOwn(signed: SignedAnnouncement, sequence: number): OfferResult {
    if (sequence < this.#ownSequence) return "stale";
    if (sequence === this.#ownSequence) {
      // Already known to be superseded (or, before we ever originated, sequence 0): nothing to learn.
      if (this.#needsOriginate || sequence === 0) return "stale";
      if (sameBytes(this.#stored.get(this.self)!.signed.body, signed.body)) return "stale";
    }
    if (!this.verify(this.self, signed.body, signed.signature)) return "invalid";
    this.#ownSequence = sequence;
    this.#needsOriginate = true;
    return "stale";
  }

  /**
   * True after offer() met an announcement of ours from a previous run: the caller should originate and
   * flood again now rather than at the next refresh, or the mesh keeps routing by our old links until then.
   */
  get needsOriginate(): boolean {
    return this.#needsOriginate;
  }

  /** Signs and stores this node's announcement of its live links; the caller floods it on every link. */
  originate(neighbors: readonly Neighbor[], sign: SignAnnouncement): SignedAnnouncement {
    const { body, announcement } = this.#prepare(neighbors);
    return this.#commit(body, announcement, sign(body));
  }

  /**
   * originate() for an asynchronous signer (WebCrypto's Ed25519). The caller must not run two at once:
   * both would take the same sequence number.
   */
  async originateAsync(
    neighbors: readonly Neighbor[],
    sign: (body: Uint8Array) => Promise<Uint8Array>,
  ): Promise<SignedAnnouncement> {
    const { body, announcement } = this.#prepare(neighbors);
    return this.#commit(body, announcement, await sign(body));
  }

  #prepare(neighbors: readonly Neighbor[]): { body: Uint8Array; announcement: Announcement } {
    const sequence = this.#ownSequence + 1;
    if (sequence > MAX_SEQUENCE) throw new RangeError("announcement sequence exhausted (uint32, no wrap)");
    const announcement: Announcement = {
      origin: this.self,
      sequence,
      issuedAt: Math.max(0, Math.floor(this.now())),
      neighbors: neighbors.map(({ id, cost }) => ({ id, cost })),
    };
    return { body: encodeAnnouncement(announcement), announcement };
  }

  #commit(body: Uint8Array, announcement: Announcement, signature: Uint8Array): SignedAnnouncement {
    if (signature.length !== SIGNATURE_LENGTH) {
      throw new RangeError(`sign returned ${signature.length} bytes, an Ed25519 signature is 64`);
    }
    const signed = { body, signature: signature.slice() };
    this.#stored.set(this.self, { signed, announcement, receivedAt: this.now() });
    // An announcement of ours from a previous run may have raised the sequence while this was signed:
    // then this one is already stale and another must follow.
    if (this.#ownSequence > announcement.sequence) return signed;
    this.#ownSequence = announcement.sequence;
    this.#needsOriginate = false;
    return signed;
  }

  /**
   * Whether offer() would look at this announcement at all (a newer one from another origin, or one of
   * ours from a previous run): lets a caller with an asynchronous verifier skip the stale duplicates.
   */
  isFresh(signed: SignedAnnouncement): boolean {
    const decoded = decodeAnnouncement(signed.body);
    if (!decoded.ok) return false;
    if (decoded.value.origin === this.self) return decoded.value.sequence >= this.#ownSequence;
    const stored = this.#stored.get(decoded.value.origin);
    return !stored || decoded.value.sequence > stored.announcement.sequence;
  }

  /**
   * Everything stored, by origin: what a newly connected neighbor is sent so it catches up at once. These
   * are the stored objects themselves (copying every sync would be waste): encode them, do not modify them.
   */
  all(): SignedAnnouncement[] {
    return [...this.#stored.keys()].sort().map((origin) => this.#stored.get(origin)!.signed);
  }

  get(origin: NodeId): Announcement | undefined {
    return this.#stored.get(origin)?.announcement;
  }

  /** Drops announcements that arrived more than maxAgeMs ago (never our own); returns their origins. */
  expire(): NodeId[] {
    const now = this.now();
    const dropped: NodeId[] = [];
    for (const [origin, { receivedAt }] of this.#stored) {
      if (origin !== this.self && now - receivedAt > this.maxAgeMs) dropped.push(origin);
    }
    for (const origin of dropped) this.#stored.delete(origin);
    return dropped.sort();
  }

  /** The links both ends announce (see twoWayGraph); a fresh Map each call, the caller may keep it. */
  graph(): Graph {
    return twoWayGraph([...this.#stored.values()].map(({ announcement }) => announcement));
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
