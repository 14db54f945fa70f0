import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";

// What travels on a link, one message per record: type (1 byte), then the body. Records are framed by
// stream.ts. Bodies are opaque here; their own codecs check them.

export const MessageType = {
  /** Handshake step 1: version (1), nonce (32), the sender's node certificate. */
  hello: 1,
  /** Handshake step 2: Ed25519 signature over the link transcript (see handshake.ts). */
  auth: 2,
  /** A signed adjacency announcement to flood. */
  announcement: 3,
  /** The network's signed revocation list. */
  revocations: 4,
  /** Hop limit (1 byte) then a sealed frame (gloeth frame header + AEAD body) on its way to its destination. */
  frame: 5,
  /** Keepalive with an 8-byte token; answered by pong with the same token (RTT). */
  ping: 6,
  pong: 7,
  /** A node's signed session-key record (certificate, X25519 session key), flooded like announcements. */
  keys: 8,
} as const;

export type MessageTypeName = keyof typeof MessageType;
const names = new Map(Object.entries(MessageType).map(([name, type]) => [type, name as MessageTypeName]));

export interface LinkMessage {
  type: MessageTypeName;
  body: Uint8Array;
  /** The whole record (type byte, then body): a relay can change it in place and send it on. */
  record: Uint8Array;
}

export function encodeMessage(type: MessageTypeName, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(1 + body.length);
  bytes[0] = MessageType[type];
  bytes.set(body, 1);
  return bytes;
}

export function decodeMessage(bytes: Uint8Array): Decoded<LinkMessage> {
  if (bytes.length === 0) return decodeFailure("link", "empty record");
  const type = names.get(bytes[0] as (typeof MessageType)[MessageTypeName]);
  if (!type) return decodeFailure("link", `unknown message type ${bytes[0]}`);
  return decoded({ type, body: bytes.subarray(1), record: bytes });
}
