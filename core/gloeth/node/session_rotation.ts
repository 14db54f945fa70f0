// This node's session keys over time: the first one, a new one every rekey interval, and the timers that
// move each peer's sealing to new keys and wipe replaced ones (the key epochs themselves live in the
// frame path, wasm/src/key_epochs.rs). Keeping keys for one interval only means keys that leak later
// cannot open earlier frames.
import type { Logger } from "../../log/logger.ts";
import { generateX25519, type X25519KeyPair } from "../crypto/pair_keys.ts";
import type { LinkIdentity } from "../links/handshake.ts";
import type { WasmFramePath } from "../wasm/frame_path.ts";
import type { ChannelKeys, NodeDirectory } from "./directory.ts";
import { encodeSessionKeys } from "./session_keys.ts";

export interface SessionRotationOptions {
  identity: LinkIdentity;
  frames: WasmFramePath;
  log: Logger;
  /** How long peers get to receive a new key record before frames are sealed with the new keys. */
  graceMs: number;
  /** The stamp for a new session key, later than every earlier one (see GloethNodeOptions). */
  sessionTime?: () => Promise<number>;
}

export class SessionRotation {
  #lastSessionTime = 0;
  #rotating = false;
  #stopped = false;
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly options: SessionRotationOptions) {}

  /** Where the directory installs keys from peers' records (their rotations and first contacts). */
  readonly channelKeys: ChannelKeys = {
    setKeys: (nodeId, keys, sendNow = true) => {
      const installed = this.options.frames.setKeys(nodeId, keys, sendNow);
      // The peer rotated: it seals with its previous keys until its own grace period ends, which
      // started when it sent the record, so ours lasts twice as long.
      if (sendNow && installed > 0) {
        this.#later(2 * this.options.graceMs, () => this.options.frames.dropThrough(nodeId, installed - 1));
      }
      return installed;
    },
    forget: (nodeId) => this.options.frames.forget(nodeId),
  };

  /** A new session key and its signed record, stamped later than any earlier one. */
  async newSession(): Promise<{ session: X25519KeyPair; record: Uint8Array }> {
    const session = await generateX25519();
    const { keys, certificate } = this.options.identity;
    const record = await encodeSessionKeys(keys, certificate, session.publicKey, await this.#nextTime());
    return { session, record };
  }

  /**
   * Replaces the session key: new keys with every node, used to receive at once and to seal once the
   * new record has had time to reach everyone (`flood` sends it); replaced keys are wiped a grace
   * period later. Skipped while a slow earlier rotation still runs; a failure is logged.
   */
  async rotate(directory: NodeDirectory, flood: (record: Uint8Array) => void): Promise<void> {
    if (this.#rotating) return;
    this.#rotating = true;
    try {
      const { session, record } = await this.newSession();
      const rotated = await directory.rotate(session);
      flood(record);
      const { frames, graceMs } = this.options;
      this.#later(graceMs, () => rotated.forEach(({ nodeId }) => frames.promote(nodeId)));
      this.#later(2 * graceMs, () => {
        for (const { nodeId, installed } of rotated) frames.dropThrough(nodeId, installed - 1);
      });
      this.options.log.info("session key rotated", { nodes: rotated.length });
    } catch (error) {
      this.options.log.warn("session key not rotated", { error: String(error) });
    } finally {
      this.#rotating = false;
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#pending) clearTimeout(timer);
  }

  #nextTime(): Promise<number> {
    if (this.options.sessionTime) return this.options.sessionTime();
    this.#lastSessionTime = Math.max(Date.now(), this.#lastSessionTime + 1);
    return Promise.resolve(this.#lastSessionTime);
  }

  #later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      if (!this.#stopped) action();
    }, ms);
    this.#pending.add(timer);
  }
}
