// The clear header of a sealed gloeth frame. All integers are big-endian:
//
//   offset  size  field
//        0     1  version      1
//        1     1  kind         1 = unicast, 2 = broadcast copy (a broadcast is sealed once per destination)
//        2    16  source       node id of the sender
//       18    16  destination  node id of the receiver
//       34     8  counter      the sender's per-direction message counter, 0 to 2^53 - 1
//       42     n  ciphertext   ChaCha20-Poly1305 of the Ethernet frame
//     42+n    16  tag
//
// Routers forward on this header without holding any key, so it travels in clear; it is also the AEAD's
// associated data, so a router that rewrites any of it (kind, ids, counter) makes the destination drop
// the frame. The counter is capped at 2^53 - 1 so it fits a JS number exactly; a higher value is never
// sent and is rejected here.
import { readUint32, writeUint32 } from "../../net/bytes.ts";
import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";
import { AEAD_TAG_LENGTH } from "./aead.ts";
import { type NodeId, nodeIdToBytes, readNodeId } from "./node_id.ts";

export const FRAME_VERSION = 1;
export const FRAME_HEADER_LENGTH = 42;
/** A header and an empty frame's tag: anything shorter cannot be a sealed frame. */
export const MIN_SEALED_FRAME_LENGTH = FRAME_HEADER_LENGTH + AEAD_TAG_LENGTH;

export const FRAME_KIND_UNICAST = 1;
export const FRAME_KIND_BROADCAST_COPY = 2;
export type FrameKind = typeof FRAME_KIND_UNICAST | typeof FRAME_KIND_BROADCAST_COPY;

const COUNTER_OFFSET = 34;
const COUNTER_HIGH_MAX = 0x1f_ffff; // the high 32 bits of 2^53 - 1
const TWO_TO_32 = 0x1_0000_0000;

export interface FrameHeader {
  kind: FrameKind;
  source: NodeId;
  destination: NodeId;
  counter: number;
}

export function isFrameKind(value: number): value is FrameKind {
  return value === FRAME_KIND_UNICAST || value === FRAME_KIND_BROADCAST_COPY;
}

/**
 * Writes the headers of one sender to one destination. The ids are converted to bytes once, not per
 * frame: that conversion cost more than a third of sealing a full frame.
 */
export class FrameHeaderWriter {
  readonly #template = new Uint8Array(FRAME_HEADER_LENGTH);

  constructor(source: NodeId, destination: NodeId) {
    this.#template[0] = FRAME_VERSION;
    this.#template.set(nodeIdToBytes(source), 2);
    this.#template.set(nodeIdToBytes(destination), 18);
  }

  /** Writes the header over the first 42 bytes of `target`. */
  write(target: Uint8Array, kind: FrameKind, counter: number): void {
    if (!isFrameKind(kind)) throw new RangeError(`frame kind must be 1 or 2, got ${kind}`);
    if (!Number.isSafeInteger(counter) || counter < 0) {
      throw new RangeError(`frame counter must be an integer from 0 to 2^53 - 1, got ${counter}`);
    }
    target.set(this.#template);
    target[1] = kind;
    writeUint32(target, COUNTER_OFFSET, Math.floor(counter / TWO_TO_32));
    writeUint32(target, COUNTER_OFFSET + 4, counter % TWO_TO_32);
  }
}

export function encodeFrameHeader(header: FrameHeader): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_LENGTH);
  new FrameHeaderWriter(header.source, header.destination).write(bytes, header.kind, header.counter);
  return bytes;
}

/**
 * The header of a sealed frame, for routers and for PairChannel.open. Nothing here is authenticated:
 * a router may route on it, but only the destination's AEAD check makes it trustworthy.
 */
export function parseFrameHeader(packet: Uint8Array): Decoded<FrameHeader> {
  if (packet.length < MIN_SEALED_FRAME_LENGTH) {
    return decodeFailure(
      "gloeth frame",
      `${packet.length} bytes is shorter than a header and tag (${MIN_SEALED_FRAME_LENGTH})`,
    );
  }
  if (packet[0] !== FRAME_VERSION) return decodeFailure("gloeth frame", `unknown version ${packet[0]}`);
  const kind = packet[1];
  if (!isFrameKind(kind)) return decodeFailure("gloeth frame", `unknown kind ${kind}`);
  const high = readUint32(packet, COUNTER_OFFSET);
  if (high > COUNTER_HIGH_MAX) return decodeFailure("gloeth frame", "counter beyond 2^53 - 1");
  return decoded({
    kind,
    source: readNodeId(packet, 2),
    destination: readNodeId(packet, 18),
    counter: high * TWO_TO_32 + readUint32(packet, COUNTER_OFFSET + 4),
  });
}
