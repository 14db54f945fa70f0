// A node id is 16 bytes on the wire and, everywhere else (routing tables, logs, key derivation), the 32
// lowercase hex characters identity/ computes from the node's signing key. One canonical text form
// matters: pair keys are derived from the text, so "AB…" on one side and "ab…" on the other would give
// two nodes silently different keys.
import { AddressSyntaxError } from "../../net/errors.ts";

export type NodeId = string;

export const NODE_ID_LENGTH = 16;

const CANONICAL = /^[0-9a-f]{32}$/;
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export function isNodeId(text: string): boolean {
  return CANONICAL.test(text);
}

export function requireNodeId(text: string): void {
  if (!isNodeId(text)) throw new AddressSyntaxError("node id", text, "expected 32 lowercase hex digits");
}

export function nodeIdToBytes(id: NodeId): Uint8Array {
  requireNodeId(id);
  const bytes = new Uint8Array(NODE_ID_LENGTH);
  for (let i = 0; i < NODE_ID_LENGTH; i++) bytes[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The id at `offset`; the caller has checked that 16 bytes are there. */
export function readNodeId(bytes: Uint8Array, offset: number): NodeId {
  let text = "";
  for (let i = offset; i < offset + NODE_ID_LENGTH; i++) text += HEX_OF_BYTE[bytes[i]];
  return text;
}
