import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { decodeRmcp, RMCP_CLASS_IPMI, RMCP_HEADER_LENGTH, writeRmcpHeader } from "./rmcp.ts";

// The IPMI session headers and trailer that follow RMCP (IPMI v2.0 rev 1.1, section 13.6 and table 13-8).
//
// v1.5: auth type (0 = none here), session sequence (4, LE), session ID (4, LE), [16-byte auth code],
// message length (1). Used before a session exists, for Get Channel Authentication Capabilities.
//
// v2.0 (RMCP+), auth type 6: payload type (bit 7 encrypted, bit 6 authenticated), [OEM IANA + payload
// ID when the type is 2], session ID (4, LE), session sequence (4, LE), payload length (2, LE), payload,
// then for authenticated packets the integrity pad (0xFF until the bytes from the auth type through the
// next header are a multiple of 4), the pad length, the next header (7) and the auth code.

export const AUTH_TYPE_NONE = 0x00;
export const AUTH_TYPE_RMCP_PLUS = 0x06;
const NEXT_HEADER = 0x07;
const PAYLOAD_TYPE_OEM = 0x02;

export const PayloadType = {
  ipmi: 0x00,
  sol: 0x01,
  openSessionRequest: 0x10,
  openSessionResponse: 0x11,
  rakp1: 0x12,
  rakp2: 0x13,
  rakp3: 0x14,
  rakp4: 0x15,
} as const;

/** An IPMI v1.5 packet without authentication (the only v1.5 form this client sends). */
export function encodeV15Packet(message: Uint8Array, sequence = 0, sessionId = 0): Uint8Array<ArrayBuffer> {
  if (message.length > 0xff) {
    throw new RangeError(`a v1.5 message holds at most 255 bytes, not ${message.length}`);
  }
  const bytes = new Uint8Array(RMCP_HEADER_LENGTH + 10 + message.length);
  writeRmcpHeader(bytes);
  const view = new DataView(bytes.buffer);
  bytes[4] = AUTH_TYPE_NONE;
  view.setUint32(5, sequence, true);
  view.setUint32(9, sessionId, true);
  bytes[13] = message.length;
  bytes.set(message, 14);
  return bytes;
}

export interface V20Packet {
  payloadType: number;
  encrypted: boolean;
  authenticated: boolean;
  sessionId: number;
  sequence: number;
  /** The payload as on the wire (for an encrypted one: IV + ciphertext). */
  payload: Uint8Array;
}

/**
 * Computes the auth code over `covered` (auth type through next header); its length is the integrity
 * algorithm's (12 bytes for HMAC-SHA1-96, 16 for HMAC-SHA256-128).
 */
export type AuthCodeFunction = (covered: Uint8Array) => Uint8Array;

/** An RMCP+ packet; `authCode` is required exactly when the packet is authenticated. */
export function encodeV20Packet(packet: V20Packet, authCode?: AuthCodeFunction): Uint8Array<ArrayBuffer> {
  if (packet.payloadType === PAYLOAD_TYPE_OEM) throw new RangeError("OEM payloads are not supported");
  if (packet.payload.length > 0xffff) throw new RangeError(`payload of ${packet.payload.length} bytes`);
  if (packet.authenticated !== (authCode !== undefined)) {
    throw new RangeError("an authenticated packet needs an auth code function, and only it");
  }
  const headerLength = 12;
  const bodyLength = headerLength + packet.payload.length;
  const padLength = packet.authenticated ? (4 - ((bodyLength + 2) % 4)) % 4 : 0;
  const coveredLength = packet.authenticated ? bodyLength + padLength + 2 : bodyLength;
  const covered = new Uint8Array(coveredLength);
  const view = new DataView(covered.buffer);
  covered[0] = AUTH_TYPE_RMCP_PLUS;
  covered[1] = (packet.encrypted ? 0x80 : 0) | (packet.authenticated ? 0x40 : 0) |
    (packet.payloadType & 0x3f);
  view.setUint32(2, packet.sessionId >>> 0, true);
  view.setUint32(6, packet.sequence >>> 0, true);
  view.setUint16(10, packet.payload.length, true);
  covered.set(packet.payload, headerLength);
  let code: Uint8Array = new Uint8Array(0);
  if (authCode) {
    covered.fill(0xff, bodyLength, bodyLength + padLength);
    covered[bodyLength + padLength] = padLength;
    covered[bodyLength + padLength + 1] = NEXT_HEADER;
    code = authCode(covered);
  }
  const bytes = new Uint8Array(RMCP_HEADER_LENGTH + covered.length + code.length);
  writeRmcpHeader(bytes);
  bytes.set(covered, RMCP_HEADER_LENGTH);
  bytes.set(code, RMCP_HEADER_LENGTH + covered.length);
  return bytes;
}

export type SessionPacket =
  | {
    version: "1.5";
    authType: number;
    sequence: number;
    sessionId: number;
    /** The IPMI message. */
    payload: Uint8Array;
  }
  | (V20Packet & {
    version: "2.0";
    /** The bytes the auth code covers (auth type through next header), for an authenticated packet. */
    covered?: Uint8Array;
    authCode?: Uint8Array;
  });

/**
 * Decodes RMCP + session header (+ trailer). `authCodeLength` is the length the session's integrity
 * algorithm gives the auth code of authenticated v2.0 packets (0 before a session is active).
 */
export function decodeSessionPacket(bytes: Uint8Array, authCodeLength = 0): Decoded<SessionPacket> {
  const rmcp = decodeRmcp(bytes);
  if (!rmcp.ok) return rmcp;
  if (rmcp.value.messageClass !== RMCP_CLASS_IPMI) {
    return decodeFailure("ipmi session", `RMCP class ${rmcp.value.messageClass} is not IPMI`);
  }
  const body = rmcp.value.body;
  if (body.length < 1) return decodeFailure("ipmi session", "no auth type byte");
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const authType = body[0] & 0x0f;
  if (authType !== AUTH_TYPE_RMCP_PLUS) {
    const authCodeBytes = authType === AUTH_TYPE_NONE ? 0 : 16;
    const fixed = 10 + authCodeBytes;
    if (body.length < fixed) {
      return decodeFailure(
        "ipmi v1.5 session",
        `${body.length} bytes is shorter than its ${fixed}-byte header`,
      );
    }
    const length = body[fixed - 1];
    if (fixed + length > body.length) {
      return decodeFailure(
        "ipmi v1.5 session",
        `message length ${length} exceeds the ${body.length - fixed} bytes left`,
      );
    }
    return decoded({
      version: "1.5",
      authType,
      sequence: view.getUint32(1, true),
      sessionId: view.getUint32(5, true),
      payload: body.subarray(fixed, fixed + length),
    });
  }
  if (body.length < 2) return decodeFailure("ipmi v2.0 session", "no payload type byte");
  const payloadType = body[1] & 0x3f;
  if (payloadType === PAYLOAD_TYPE_OEM) {
    return decodeFailure("ipmi v2.0 session", "OEM payloads are not supported");
  }
  const headerLength = 12;
  if (body.length < headerLength) {
    return decodeFailure("ipmi v2.0 session", `${body.length} bytes is shorter than the 12-byte header`);
  }
  const payloadLength = view.getUint16(10, true);
  const payloadEnd = headerLength + payloadLength;
  if (payloadEnd > body.length) {
    return decodeFailure(
      "ipmi v2.0 session",
      `payload length ${payloadLength} exceeds the ${body.length - headerLength} bytes left`,
    );
  }
  const packet = {
    version: "2.0" as const,
    payloadType,
    encrypted: (body[1] & 0x80) !== 0,
    authenticated: (body[1] & 0x40) !== 0,
    sessionId: view.getUint32(2, true),
    sequence: view.getUint32(6, true),
    payload: body.subarray(headerLength, payloadEnd),
  };
  // Session setup payloads (open session, RAKP) carry no trailer even when the bit is set by mistake.
  if (!packet.authenticated || packet.sessionId === 0) return decoded(packet);
  if (authCodeLength === 0) {
    return decodeFailure(
      "ipmi v2.0 session",
      "an authenticated packet outside an integrity-protected session",
    );
  }
  const trailerEnd = body.length - authCodeLength;
  if (trailerEnd - 2 < payloadEnd) {
    return decodeFailure(
      "ipmi v2.0 session",
      `no room for the trailer and a ${authCodeLength}-byte auth code`,
    );
  }
  const padLength = body[trailerEnd - 2];
  if (body[trailerEnd - 1] !== NEXT_HEADER) {
    return decodeFailure("ipmi v2.0 session", `next header ${body[trailerEnd - 1]} is not 7`);
  }
  if (payloadEnd + padLength !== trailerEnd - 2) {
    return decodeFailure(
      "ipmi v2.0 session",
      `integrity pad of ${padLength} bytes does not fill the ${
        trailerEnd - 2 - payloadEnd
      } bytes after the payload`,
    );
  }
  return decoded({ ...packet, covered: body.subarray(0, trailerEnd), authCode: body.subarray(trailerEnd) });
}
