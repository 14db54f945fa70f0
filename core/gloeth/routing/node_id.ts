import { AddressSyntaxError } from "../../net/errors.ts";

/**
 * A node's id as 32 lowercase hex characters: the first 16 bytes of SHA-256 of its Ed25519 key (see
 * identity/keys.ts keyId). Text rather than bytes so it is a Map key and compares with `===`; one
 * spelling only, so two spellings of one node can never be two routing-table entries.
 */
export type NodeId = string;

export const NODE_ID_BYTES = 16;
const NODE_ID_PATTERN = /^[0-9a-f]{32}$/;
const HEX_DIGITS = "0123456789abcdef";

export function isNodeId(text: string): boolean {
  return NODE_ID_PATTERN.test(text);
}

/** Ids handed to the routing code by its caller are configuration-grade: a bad one is a bug, so it throws. */
export function requireNodeId(text: string): NodeId {
  if (typeof text !== "string" || !isNodeId(text)) {
    throw new AddressSyntaxError("node id", String(text), "expected 32 lowercase hex characters");
  }
  return text;
}

/** Reads 16 bytes as an id; the caller has checked that they are there. */
export function readNodeId(bytes: Uint8Array, offset: number): NodeId {
  let text = "";
  for (let i = offset; i < offset + NODE_ID_BYTES; i++) {
    text += HEX_DIGITS[bytes[i] >>> 4] + HEX_DIGITS[bytes[i] & 0x0f];
  }
  return text;
}

/** Writes a valid id (see requireNodeId) as 16 bytes; the caller guarantees room. */
export function writeNodeId(id: NodeId, target: Uint8Array, offset: number): void {
  for (let i = 0; i < NODE_ID_BYTES; i++) {
    target[offset + i] = Number.parseInt(id.slice(2 * i, 2 * i + 2), 16);
  }
}
