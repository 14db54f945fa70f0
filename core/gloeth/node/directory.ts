import { derivePairKeys, type PairKeys, type X25519KeyPair } from "../crypto/pair_keys.ts";
import { type NetworkTrust, verifyCertificate } from "../identity/authority.ts";
import { decodeSessionKeys, verifySessionKeys } from "./session_keys.ts";
import { decodeCertificate } from "../identity/certificate.ts";
import { keyId, toHex } from "../identity/keys.ts";

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
  /** A new channel to `nodeId` (its counters start from zero). */
  setKeys(nodeId: string, keys: PairKeys): void;
  /** The node is gone: its keys, route and learned addresses with it. */
  forget(nodeId: string): void;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Every admitted node this one has heard of: its certificate's keys (to check its announcements) and its
 * current session key. Each node's end-to-end keys are derived when its session key arrives and replaced
 * when the key changes (it restarted); `channels` receives them.
 */
export class NodeDirectory {
  readonly #nodes = new Map<string, KnownNode>();

  constructor(
    readonly selfId: string,
    private readonly session: X25519KeyPair,
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
    const claimedId = toHex(await keyId(claimed.value.signKey));
    const known = this.#nodes.get(claimedId);
    if (claimedId === this.selfId || (known && known.issuedAt >= record.issuedAt)) return "stale";
    // The same session key again would derive the same keys, and a new channel restarts its counters
    // at zero: every nonce would be used twice. Only a new key makes a new channel.
    if (known && sameBytes(known.sessionKey, record.sessionKey)) return "stale";
    const verdict = await verifyCertificate(record.certificate, this.trust, this.revoked());
    if (!verdict.ok) return "invalid";
    if (!await verifySessionKeys(record, verdict.certificate.signKey)) return "invalid";
    let keys: PairKeys;
    try {
      keys = await derivePairKeys({
        myPrivateKey: this.session.privateKey,
        peerPublicKey: record.sessionKey,
        myId: this.selfId,
        peerId: verdict.nodeId,
        networkId: this.networkIdHex,
      });
      if (sameBytes(keys.sendKey, keys.receiveKey)) return "invalid"; // both directions would share nonces
    } catch {
      return "invalid"; // a low-order or malformed X25519 key: nothing can be sealed for it
    }
    const current = this.#nodes.get(verdict.nodeId);
    if (current && current.issuedAt >= record.issuedAt) return "stale"; // a newer one won meanwhile
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
    this.channels.setKeys(verdict.nodeId, keys);
    return "new";
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
