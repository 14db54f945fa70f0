// Sealing Ethernet frames end to end between two nodes. The sealed frame is the clear header (see
// frame_header.ts for the layout) followed by the AEAD of the frame, with the header as associated data
// and the nonce 4 zero bytes || the header's 8-byte counter. Each direction has its own key (pair_keys.ts)
// and counter, so within a channel no key sees a nonce twice; across channels that holds only if every
// channel gets keys no earlier channel had (see pair_keys.ts on fresh X25519 keys).
//
// Future work: rekeying. A channel stops sending at counter 2^53 - 1 (send_counter.ts), and nothing yet
// replaces keys periodically for forward secrecy.
import { writeUint32 } from "../../net/bytes.ts";
import { type Aead, AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH } from "./aead.ts";
import {
  FRAME_HEADER_LENGTH,
  FrameHeaderWriter,
  type FrameKind,
  MIN_SEALED_FRAME_LENGTH,
  parseFrameHeader,
} from "./frame_header.ts";
import { type NodeId, requireNodeId } from "./node_id.ts";
import type { PairKeys } from "./pair_keys.ts";
import { ReplayWindow } from "./replay_window.ts";
import { SendCounter } from "./send_counter.ts";

export { parseFrameHeader };

/** Why open() refused a packet: too short to hold a header and tag, a header not for this channel, a
 * failed tag check (forged, damaged or wrong key), or a counter already seen or too old. */
export type DropReason = "short" | "bad-header" | "auth" | "replay";

// A second channel on the same keys would start its counter at 0 again and reuse every nonce.
const keysInUse = new WeakSet<Uint8Array>();

const TWO_TO_32 = 0x1_0000_0000;

function nonceFor(counter: number): Uint8Array {
  const nonce = new Uint8Array(AEAD_NONCE_LENGTH);
  writeUint32(nonce, 4, Math.floor(counter / TWO_TO_32));
  writeUint32(nonce, 8, counter % TWO_TO_32);
  return nonce;
}

export class PairChannel {
  readonly #aead: Aead;
  readonly #sendKey: Uint8Array;
  readonly #receiveKey: Uint8Array;
  readonly #headers: FrameHeaderWriter;
  readonly #sendCounter = new SendCounter();
  readonly #replayWindow = new ReplayWindow();
  readonly #drops: Record<DropReason, number> = { short: 0, "bad-header": 0, auth: 0, replay: 0 };

  constructor(keys: PairKeys, aead: Aead, readonly myId: NodeId, readonly peerId: NodeId) {
    requireNodeId(myId);
    requireNodeId(peerId);
    if (myId === peerId) throw new RangeError(`node ${myId} cannot have a channel to itself`);
    const { sendKey, receiveKey } = keys;
    if (sendKey.length !== AEAD_KEY_LENGTH || receiveKey.length !== AEAD_KEY_LENGTH) {
      throw new RangeError(`pair keys must be ${AEAD_KEY_LENGTH} bytes each`);
    }
    if (sendKey.every((byte, i) => byte === receiveKey[i])) {
      throw new RangeError("send and receive keys are equal: both directions would share nonces");
    }
    if (keysInUse.has(sendKey)) throw new Error("these pair keys already belong to another PairChannel");
    keysInUse.add(sendKey);
    this.#aead = aead;
    this.#headers = new FrameHeaderWriter(myId, peerId);
    // Copies, so a caller that later wipes or reuses its arrays cannot change the channel's keys.
    this.#sendKey = sendKey.slice();
    this.#receiveKey = receiveKey.slice();
  }

  /** Drops since the channel was made, by reason: a snapshot for metrics and tests. */
  get drops(): Readonly<Record<DropReason, number>> {
    return { ...this.#drops };
  }

  /**
   * The sealed packet. With `headroom`, that many bytes are left free in front of it in the returned
   * array, for the caller's own framing, so sending it needs no further copy.
   */
  seal(frame: Uint8Array, kind: FrameKind, headroom = 0): Uint8Array {
    const buffer = new Uint8Array(headroom + FRAME_HEADER_LENGTH + frame.length + AEAD_TAG_LENGTH);
    const packet = buffer.subarray(headroom);
    const counter = this.#sendCounter.next();
    this.#headers.write(packet, kind, counter);
    const header = packet.subarray(0, FRAME_HEADER_LENGTH);
    packet.set(this.#aead.seal(this.#sendKey, nonceFor(counter), frame, header), FRAME_HEADER_LENGTH);
    return buffer;
  }

  /** The frame `packet` carries, or null (counted in `drops`) if it is not an authentic new frame from the peer. */
  open(packet: Uint8Array): Uint8Array | null {
    if (packet.length < MIN_SEALED_FRAME_LENGTH) return this.#drop("short");
    const parsed = parseFrameHeader(packet);
    if (!parsed.ok) return this.#drop("bad-header");
    const { source, destination, counter } = parsed.value;
    if (source !== this.peerId || destination !== this.myId) return this.#drop("bad-header");
    const frame = this.#aead.open(
      this.#receiveKey,
      nonceFor(counter),
      packet.subarray(FRAME_HEADER_LENGTH),
      packet.subarray(0, FRAME_HEADER_LENGTH),
    );
    if (frame === null) return this.#drop("auth");
    // Only now: an unauthenticated counter must not move the window, or a forger could push it far
    // ahead and make the peer's real frames look too old.
    if (!this.#replayWindow.accept(counter)) return this.#drop("replay");
    return frame;
  }

  #drop(reason: DropReason): null {
    this.#drops[reason]++;
    return null;
  }
}
