import { toHexString } from "../../net/bytes.ts";
import { derivePairKeys, type PairKeys, type X25519KeyPair } from "../crypto/pair_keys.ts";
import { type NetworkTrust, verifyCertificate } from "../identity/authority.ts";
import { decodeSessionKeys, verifySessionKeys } from "./session_keys.ts";
import { decodeCertificate } from "../identity/certificate.ts";
import { keyId } from "../identity/keys.ts";

export interface KnownNode {
  nodeId: string;
  name: string;
  signKey: Uint8Array;
  serial: bigint;
  /** When its certificate expires (ms): after that it is forgotten until it brings a new one. */
  notAfter: number;
  sessionKey: Uint8Array;
  issuedAt: number;
  /** The signed session-key record, flooded on to new links. */
  record: Uint8Array;
}

/** Where the end-to-end keys go: the frame path, which seals and opens with them. */
export interface ChannelKeys {
  /** A new channel to `nodeId` (its counters start from zero); its install number (WasmFramePath.setKeys). */
  setKeys(nodeId: string, keys: PairKeys, sendNow?: boolean): number;
  /** The node is gone: its keys, route and learned addresses with it. */
  forget(nodeId: string): void;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function usedKey(nodeId: string, sessionKey: Uint8Array): string {
  return `${nodeId}/${toHexString(sessionKey)}`;
}

/** Keys installed by a rotation, for the caller to promote and later drop the ones they replaced. */
export interface RotatedKeys {
  nodeId: string;
  installed: number;
}

/**
 * Every admitted node this one has heard of: its certificate's keys (to check its announcements) and its
 * current session key. Each node's end-to-end keys are derived when its session key arrives and replaced
 * when the key changes (it restarted); `channels` receives them.
 */
export class NodeDirectory {
  readonly #nodes = new Map<string, KnownNode>();
  /**
   * Peers (node id and session key) that already have a channel with our current session key. The same
   * node and keys derive the same channel keys, and a new channel counts nonces from zero again, so a
   * record seen before (a node forgotten and re-admitted, say) must never make another channel. The node
   * id is part of it because it is part of the keys: another member copying a node's public session key
   * into its own record must not make that node's genuine record look used.
   */
  #usedWithThisSession = new Set<string>();
  /** Set while rotate() runs: channels installed then wait for promotion like the rotation's own. */
  #rotation: RotatedKeys[] | undefined;

  constructor(
    readonly selfId: string,
    private session: X25519KeyPair,
    private readonly trust: NetworkTrust,
    private readonly networkIdHex: string,
    private readonly revoked: () => ReadonlySet<bigint>,
    private readonly channels: ChannelKeys,
  ) {}

  get(nodeId: string): KnownNode | undefined {
    return this.#nodes.get(nodeId);
  }

  all(): KnownNode[] {
    return [...this.#nodes.values()];
  }

  /**
   * Takes a flooded session-key record: "new" ones are stored, their end-to-end channel derived, and the
   * caller floods them on. Anything that cannot be used (unverifiable, revoked, a key no channel can be
   * derived from) is "invalid" and goes no further.
   */
  async offer(bytes: Uint8Array): Promise<"new" | "stale" | "invalid"> {
    const decoded = decodeSessionKeys(bytes);
    if (!decoded.ok) return "invalid";
    const record = decoded.value;
    // Duplicates arrive once per link: refuse them before any signature work.
    const claimed = decodeCertificate(record.certificate);
    if (!claimed.ok) return "invalid";
    const claimedId = toHexString(await keyId(claimed.value.signKey));
    const known = this.#nodes.get(claimedId);
    if (claimedId === this.selfId || (known && known.issuedAt >= record.issuedAt)) return "stale";
    // Keys already in a channel would restart its nonces: only a new session key makes a new channel.
    if (this.#usedWithThisSession.has(usedKey(claimedId, record.sessionKey))) return "stale";
    const verdict = await verifyCertificate(record.certificate, this.trust, this.revoked());
    if (!verdict.ok) return "invalid";
    if (!await verifySessionKeys(record, verdict.certificate.signKey)) return "invalid";
    // Derived again if this node rotated its own session key meanwhile, so the keys match what the
    // peer derives from our newest record.
    let session: X25519KeyPair;
    let keys: PairKeys | undefined;
    do {
      session = this.session;
      keys = await this.#derive(session, verdict.nodeId, record.sessionKey);
    } while (session !== this.session);
    if (!keys) return "invalid";
    const current = this.#nodes.get(verdict.nodeId);
    if (current && current.issuedAt >= record.issuedAt) return "stale"; // a newer one won meanwhile
    if (this.#usedWithThisSession.has(usedKey(verdict.nodeId, record.sessionKey))) return "stale"; // taken meanwhile
    if (this.revoked().has(verdict.certificate.serial)) return "invalid"; // revoked while we checked
    this.#nodes.set(verdict.nodeId, {
      nodeId: verdict.nodeId,
      name: verdict.certificate.name,
      signKey: verdict.certificate.signKey,
      serial: verdict.certificate.serial,
      notAfter: verdict.certificate.notAfter,
      sessionKey: record.sessionKey,
      issuedAt: record.issuedAt,
      record: record.bytes,
    });
    this.#install(verdict.nodeId, record.sessionKey, keys, this.#rotation === undefined);
    return "new";
  }

  /** Hands keys to the frame path and wipes our copy; remembers the peer's key as used once installed. */
  #install(nodeId: string, peerSessionKey: Uint8Array, keys: PairKeys, sendNow: boolean): void {
    const installed = this.channels.setKeys(nodeId, keys, sendNow);
    keys.sendKey.fill(0);
    keys.receiveKey.fill(0);
    if (installed === 0) return; // no room in the frame path: nothing was used
    this.#usedWithThisSession.add(usedKey(nodeId, peerSessionKey));
    if (!sendNow) this.#rotation?.push({ nodeId, installed });
  }

  /**
   * This node's new session key: keys with every known node are derived again and installed to
   * receive at once but to seal only once promoted, since peers need our new key record first (so are
   * keys from records that arrive meanwhile). Returns what was installed. One rotation at a time.
   */
  async rotate(session: X25519KeyPair): Promise<RotatedKeys[]> {
    if (this.#rotation) throw new Error("a rotation is already running");
    const rotation: RotatedKeys[] = this.#rotation = [];
    this.session = session;
    this.#usedWithThisSession = new Set();
    try {
      for (const node of this.all()) {
        const keys = await this.#derive(session, node.nodeId, node.sessionKey);
        // The node may have left or sent a newer key meanwhile (installed with the new session already).
        if (!keys || this.#nodes.get(node.nodeId) !== node) continue;
        if (this.#usedWithThisSession.has(usedKey(node.nodeId, node.sessionKey))) continue;
        this.#install(node.nodeId, node.sessionKey, keys, false);
      }
    } finally {
      this.#rotation = undefined;
    }
    return rotation;
  }

  async #derive(
    session: X25519KeyPair,
    peerId: string,
    peerSessionKey: Uint8Array,
  ): Promise<PairKeys | undefined> {
    try {
      const keys = await derivePairKeys({
        myPrivateKey: session.privateKey,
        peerPublicKey: peerSessionKey,
        myId: this.selfId,
        peerId,
        networkId: this.networkIdHex,
      });
      // Equal keys would have both directions share nonces.
      return sameBytes(keys.sendKey, keys.receiveKey) ? undefined : keys;
    } catch {
      return undefined; // a low-order or malformed X25519 key: nothing can be sealed for it
    }
  }

  /** Forgets nodes whose certificates were revoked or have expired; returns their ids. */
  dropRevoked(now = Date.now()): string[] {
    const revoked = this.revoked();
    const dropped = this.all().filter((node) => revoked.has(node.serial) || now > node.notAfter)
      .map((node) => node.nodeId);
    for (const nodeId of dropped) {
      this.#nodes.delete(nodeId);
      this.channels.forget(nodeId);
    }
    return dropped;
  }
}
