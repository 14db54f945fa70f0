import { nodeCryptoAead } from "../crypto/aead.ts";
import { PairChannel } from "../crypto/frame_seal.ts";
import { derivePairKeys, type X25519KeyPair } from "../crypto/pair_keys.ts";
import { type NetworkTrust, verifyCertificate } from "../identity/authority.ts";
import { decodeSessionKeys, verifySessionKeys } from "./session_keys.ts";

export interface KnownNode {
  nodeId: string;
  name: string;
  signKey: Uint8Array;
  serial: bigint;
  sessionKey: Uint8Array;
  issuedAt: number;
  /** The signed session-key record, flooded on to new links. */
  record: Uint8Array;
}

/**
 * Every admitted node this one has heard of: its certificate's keys (to check its announcements) and its
 * current session key (to seal frames for it). End-to-end channels are derived on first use and replaced
 * when the node's session key changes (it restarted).
 */
export class NodeDirectory {
  readonly #nodes = new Map<string, KnownNode>();
  readonly #channels = new Map<string, PairChannel>();
  readonly #deriving = new Set<string>();
  /** Drops of channels already replaced (a node restarted) or dropped, so the totals never go down. */
  readonly #retiredDrops: Record<string, number> = { short: 0, "bad-header": 0, auth: 0, replay: 0 };

  constructor(
    readonly selfId: string,
    private readonly session: X25519KeyPair,
    private readonly trust: NetworkTrust,
    private readonly networkIdHex: string,
    private readonly revoked: () => ReadonlySet<bigint>,
  ) {}

  get(nodeId: string): KnownNode | undefined {
    return this.#nodes.get(nodeId);
  }

  all(): KnownNode[] {
    return [...this.#nodes.values()];
  }

  /** Takes a flooded session-key record: "new" ones are stored and flooded on. */
  async offer(bytes: Uint8Array): Promise<"new" | "stale" | "invalid"> {
    const decoded = decodeSessionKeys(bytes);
    if (!decoded.ok) return "invalid";
    const record = decoded.value;
    const verdict = await verifyCertificate(record.certificate, this.trust, this.revoked());
    if (!verdict.ok) return "invalid";
    const known = this.#nodes.get(verdict.nodeId);
    if (verdict.nodeId === this.selfId || (known && known.issuedAt >= record.issuedAt)) return "stale";
    if (!await verifySessionKeys(record, verdict.certificate.signKey)) return "invalid";
    const current = this.#nodes.get(verdict.nodeId);
    if (current && current.issuedAt >= record.issuedAt) return "stale"; // a newer one won meanwhile
    this.#nodes.set(verdict.nodeId, {
      nodeId: verdict.nodeId,
      name: verdict.certificate.name,
      signKey: verdict.certificate.signKey,
      serial: verdict.certificate.serial,
      sessionKey: record.sessionKey,
      issuedAt: record.issuedAt,
      record: record.bytes,
    });
    this.#retire(verdict.nodeId);
    return "new";
  }

  /** Forgets nodes whose certificates were revoked; returns their ids. */
  dropRevoked(): string[] {
    const revoked = this.revoked();
    const dropped = this.all().filter((node) => revoked.has(node.serial)).map((node) => node.nodeId);
    for (const nodeId of dropped) {
      this.#nodes.delete(nodeId);
      this.#retire(nodeId);
    }
    return dropped;
  }

  /**
   * The channel to `nodeId` if it is ready. Otherwise undefined, and its derivation starts (a frame for
   * a node whose keys are still being derived is dropped, like a frame sent before ARP completes).
   */
  channel(nodeId: string): PairChannel | undefined {
    const ready = this.#channels.get(nodeId);
    if (ready) return ready;
    const node = this.#nodes.get(nodeId);
    if (!node || this.#deriving.has(nodeId)) return undefined;
    this.#deriving.add(nodeId);
    derivePairKeys({
      myPrivateKey: this.session.privateKey,
      peerPublicKey: node.sessionKey,
      myId: this.selfId,
      peerId: nodeId,
      networkId: this.networkIdHex,
    }).then((keys) => {
      // Only if the node kept that session key while we derived.
      if (this.#nodes.get(nodeId) === node) {
        this.#channels.set(nodeId, new PairChannel(keys, nodeCryptoAead, this.selfId, nodeId));
      }
    }).finally(() => this.#deriving.delete(nodeId));
    return undefined;
  }

  /** Derives the channel now (for a frame that arrived from a node we have not sent to yet). */
  async channelNow(nodeId: string): Promise<PairChannel | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const channel = this.channel(nodeId);
      if (channel || !this.#nodes.has(nodeId)) return channel;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return undefined;
  }

  #retire(nodeId: string): void {
    const channel = this.#channels.get(nodeId);
    if (!channel) return;
    for (const [reason, count] of Object.entries(channel.drops)) this.#retiredDrops[reason] += count;
    this.#channels.delete(nodeId);
  }

  /** Frames refused by the end-to-end check, by reason, over the node's whole run. */
  drops(): Record<string, number> {
    const total: Record<string, number> = { ...this.#retiredDrops };
    for (const channel of this.#channels.values()) {
      for (const [reason, count] of Object.entries(channel.drops)) total[reason] += count;
    }
    return total;
  }
}
