import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";
import { readUint16, readUint32, writeUint16, writeUint32 } from "../../net/bytes.ts";
import { isLinkCost, MAX_LINK_COST, MIN_LINK_COST } from "./link_cost.ts";
import { NODE_ID_BYTES, type NodeId, readNodeId, requireNodeId, writeNodeId } from "./node_id.ts";

// An adjacency announcement (a link-state advertisement, "LSA"): one node's signed statement of which
// nodes it has a live link to, and at what cost. Every node floods its own and keeps everyone's newest.
// These bytes are what the origin signs, in this fixed big-endian layout:
//
//   magic           4   "glsa": the node's key also signs other messages; a distinct prefix keeps a
//                       signature over one kind of message from being passed off as another kind
//   version         1   (1)
//   origin         16   node id of the announcer
//   sequence        4   uint32, higher is newer; wrapping past 2^32-1 is out of scope (at one
//                       announcement a second that is 136 years), so the encoder refuses it
//   issued at       8   ms since the epoch by the origin's clock: for diagnostics only, because nodes'
//                       clocks disagree; freshness comes from the sequence and the receiver's clock
//   neighbor count  2   at most MAX_NEIGHBORS
//   neighbors      18 each: node id (16), cost (2, 1..65535)
//
// Nothing may follow the neighbors: signed bytes have one spelling only.

export const ANNOUNCEMENT_MAGIC = Uint8Array.of(0x67, 0x6c, 0x73, 0x61);
export const ANNOUNCEMENT_VERSION = 1;
export const MAX_NEIGHBORS = 1024;
export const MAX_SEQUENCE = 0xffff_ffff;
const HEADER_LENGTH = 4 + 1 + NODE_ID_BYTES + 4 + 8 + 2;
const NEIGHBOR_LENGTH = NODE_ID_BYTES + 2;
export const MAX_ANNOUNCEMENT_LENGTH = HEADER_LENGTH + MAX_NEIGHBORS * NEIGHBOR_LENGTH;
const TWO_POW_32 = 0x1_0000_0000;
const LAYER = "gloeth announcement";

export interface Neighbor {
  readonly id: NodeId;
  /** Link RTT in ms clamped to 1..65535 (see linkCost). */
  readonly cost: number;
}

export interface Announcement {
  readonly origin: NodeId;
  readonly sequence: number;
  readonly issuedAt: number;
  readonly neighbors: readonly Neighbor[];
}

/** The bytes to sign. Throws RangeError for values that have no encoding (a caller's bug, not input). */
export function encodeAnnouncement(announcement: Announcement): Uint8Array<ArrayBuffer> {
  requireValid(announcement);
  const { neighbors } = announcement;
  const bytes = new Uint8Array(HEADER_LENGTH + neighbors.length * NEIGHBOR_LENGTH);
  bytes.set(ANNOUNCEMENT_MAGIC, 0);
  bytes[4] = ANNOUNCEMENT_VERSION;
  writeNodeId(announcement.origin, bytes, 5);
  writeUint32(bytes, 21, announcement.sequence);
  writeUint32(bytes, 25, Math.floor(announcement.issuedAt / TWO_POW_32));
  writeUint32(bytes, 29, announcement.issuedAt >>> 0);
  writeUint16(bytes, 33, neighbors.length);
  neighbors.forEach((neighbor, index) => {
    const offset = HEADER_LENGTH + index * NEIGHBOR_LENGTH;
    writeNodeId(neighbor.id, bytes, offset);
    writeUint16(bytes, offset + NODE_ID_BYTES, neighbor.cost);
  });
  return bytes;
}

function requireValid(announcement: Announcement): void {
  requireNodeId(announcement.origin);
  const { sequence, issuedAt, neighbors } = announcement;
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`sequence must be an integer from 0 to ${MAX_SEQUENCE}, got ${sequence}`);
  }
  if (!Number.isSafeInteger(issuedAt) || issuedAt < 0) {
    throw new RangeError(`issuedAt must be a non-negative safe integer (ms), got ${issuedAt}`);
  }
  if (neighbors.length > MAX_NEIGHBORS) {
    throw new RangeError(`at most ${MAX_NEIGHBORS} neighbors, got ${neighbors.length}`);
  }
  const seen = new Set<NodeId>();
  for (const { id, cost } of neighbors) {
    requireNodeId(id);
    if (id === announcement.origin) throw new RangeError(`node ${id} cannot be its own neighbor`);
    if (seen.has(id)) throw new RangeError(`neighbor ${id} is listed twice`);
    seen.add(id);
    if (!isLinkCost(cost)) {
      throw new RangeError(`cost to ${id} must be an integer from ${MIN_LINK_COST} to ${MAX_LINK_COST}`);
    }
  }
}

/** Reads announcement bytes; says nothing about who signed them (the link-state database checks that). */
export function decodeAnnouncement(bytes: Uint8Array): Decoded<Announcement> {
  if (bytes.length < HEADER_LENGTH) {
    return decodeFailure(LAYER, `${bytes.length} bytes, the header alone is ${HEADER_LENGTH}`);
  }
  if (!ANNOUNCEMENT_MAGIC.every((byte, index) => bytes[index] === byte)) {
    return decodeFailure(LAYER, 'magic is not "glsa"');
  }
  if (bytes[4] !== ANNOUNCEMENT_VERSION) return decodeFailure(LAYER, `unknown version ${bytes[4]}`);
  const count = readUint16(bytes, 33);
  if (count > MAX_NEIGHBORS) return decodeFailure(LAYER, `neighbor count ${count}, at most ${MAX_NEIGHBORS}`);
  const expectedLength = HEADER_LENGTH + count * NEIGHBOR_LENGTH;
  if (bytes.length !== expectedLength) {
    return decodeFailure(LAYER, `${bytes.length} bytes, neighbor count ${count} makes ${expectedLength}`);
  }
  const issuedAtHigh = readUint32(bytes, 25);
  if (issuedAtHigh * TWO_POW_32 > Number.MAX_SAFE_INTEGER) {
    return decodeFailure(LAYER, "issued-at time beyond 2^53 ms");
  }
  const origin = readNodeId(bytes, 5);
  const neighbors: Neighbor[] = [];
  const seen = new Set<NodeId>();
  for (let offset = HEADER_LENGTH; offset < bytes.length; offset += NEIGHBOR_LENGTH) {
    const id = readNodeId(bytes, offset);
    const cost = readUint16(bytes, offset + NODE_ID_BYTES);
    if (id === origin) return decodeFailure(LAYER, "the origin lists itself as a neighbor");
    if (seen.has(id)) return decodeFailure(LAYER, `neighbor ${id} is listed twice`);
    if (cost < MIN_LINK_COST) return decodeFailure(LAYER, `cost to ${id} is 0`);
    seen.add(id);
    neighbors.push({ id, cost });
  }
  return decoded({
    origin,
    sequence: readUint32(bytes, 21),
    issuedAt: issuedAtHigh * TWO_POW_32 + readUint32(bytes, 29),
    neighbors,
  });
}
