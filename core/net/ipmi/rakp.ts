import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import type { CipherSuite } from "./cipher_suite.ts";

// RMCP+ session setup payloads (IPMI v2.0, sections 13.17-13.23): Open Session Request/Response and the
// four RAKP messages. Every decoder checks the length before it reads and reports the status code by name.

/** RMCP+ status codes (table 13-15). */
export const RMCP_PLUS_STATUS: Readonly<Record<number, string>> = {
  0x00: "no errors",
  0x01: "insufficient resources to create a session",
  0x02: "invalid session ID",
  0x03: "invalid payload type",
  0x04: "invalid authentication algorithm",
  0x05: "invalid integrity algorithm",
  0x06: "no matching authentication payload",
  0x07: "no matching integrity payload",
  0x08: "inactive session ID",
  0x09: "invalid role",
  0x0a: "unauthorized role or privilege level requested",
  0x0b: "insufficient resources to create a session at the requested role",
  0x0c: "invalid name length",
  0x0d: "unauthorized name",
  0x0e: "unauthorized GUID",
  0x0f: "invalid integrity check value",
  0x10: "invalid confidentiality algorithm",
  0x11: "no cipher suite match with proposed security algorithms",
  0x12: "illegal or unrecognized parameter",
};

export function rmcpPlusStatusText(code: number): string {
  return `${RMCP_PLUS_STATUS[code] ?? "unknown status"} (0x${code.toString(16).padStart(2, "0")})`;
}

export const PrivilegeLevel = { callback: 1, user: 2, operator: 3, administrator: 4, oem: 5 } as const;
/** RAKP 1 role bit: look the user up by name only, not by name and privilege. */
export const NAME_ONLY_LOOKUP = 0x10;

function le32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

function putLe32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value >>> 0, true);
}

export interface OpenSessionRequest {
  tag: number;
  /** 0: the highest level the proposed algorithms allow. */
  maxPrivilege: number;
  consoleSessionId: number;
  suite: CipherSuite;
}

function writeAlgorithm(bytes: Uint8Array, offset: number, kind: number, algorithm: number): void {
  bytes[offset] = kind;
  bytes[offset + 3] = 8;
  bytes[offset + 4] = algorithm;
}

export function encodeOpenSessionRequest(request: OpenSessionRequest): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(32);
  bytes[0] = request.tag;
  bytes[1] = request.maxPrivilege;
  putLe32(bytes, 4, request.consoleSessionId);
  writeAlgorithm(bytes, 8, 0, request.suite.auth);
  writeAlgorithm(bytes, 16, 1, request.suite.integrity);
  writeAlgorithm(bytes, 24, 2, request.suite.confidentiality);
  return bytes;
}

export interface OpenSessionResponse {
  tag: number;
  status: number;
  maxPrivilege: number;
  consoleSessionId: number;
  /** Present when status is 0. */
  managedSessionId?: number;
  auth?: number;
  integrity?: number;
  confidentiality?: number;
}

export function decodeOpenSessionResponse(bytes: Uint8Array): Decoded<OpenSessionResponse> {
  const layer = "rmcp+ open session response";
  if (bytes.length < 8) return decodeFailure(layer, `${bytes.length} bytes is shorter than 8`);
  const head = {
    tag: bytes[0],
    status: bytes[1],
    maxPrivilege: bytes[2] & 0x0f,
    consoleSessionId: le32(bytes, 4),
  };
  // A refusal may stop after the console session ID (section 13.18).
  if (head.status !== 0) return decoded(head);
  if (bytes.length < 36) return decodeFailure(layer, `${bytes.length} bytes is shorter than 36`);
  for (const [offset, kind] of [[12, 0], [20, 1], [28, 2]]) {
    if (bytes[offset] !== kind || bytes[offset + 3] !== 8) {
      return decodeFailure(layer, `algorithm payload at ${offset} is not type ${kind} of length 8`);
    }
  }
  return decoded({
    ...head,
    managedSessionId: le32(bytes, 8),
    auth: bytes[16] & 0x3f,
    integrity: bytes[24] & 0x3f,
    confidentiality: bytes[32] & 0x3f,
  });
}

export interface Rakp1 {
  tag: number;
  managedSessionId: number;
  consoleRandom: Uint8Array;
  role: number;
  userName: Uint8Array;
}

export function encodeRakp1(message: Rakp1): Uint8Array<ArrayBuffer> {
  if (message.consoleRandom.length !== 16) throw new RangeError("RAKP 1's random number is 16 bytes");
  if (message.userName.length > 16) throw new RangeError("an IPMI user name is at most 16 bytes");
  const bytes = new Uint8Array(28 + message.userName.length);
  bytes[0] = message.tag;
  putLe32(bytes, 4, message.managedSessionId);
  bytes.set(message.consoleRandom, 8);
  bytes[24] = message.role;
  bytes[27] = message.userName.length;
  bytes.set(message.userName, 28);
  return bytes;
}

export interface Rakp2 {
  tag: number;
  status: number;
  consoleSessionId: number;
  managedRandom?: Uint8Array;
  managedGuid?: Uint8Array;
  authCode?: Uint8Array;
}

/** `authCodeLength`: 20 for RAKP-HMAC-SHA1, 32 for RAKP-HMAC-SHA256. */
export function decodeRakp2(bytes: Uint8Array, authCodeLength: number): Decoded<Rakp2> {
  const layer = "rakp 2";
  if (bytes.length < 8) return decodeFailure(layer, `${bytes.length} bytes is shorter than 8`);
  const head = { tag: bytes[0], status: bytes[1], consoleSessionId: le32(bytes, 4) };
  if (head.status !== 0) return decoded(head);
  const expected = 40 + authCodeLength;
  if (bytes.length !== expected) {
    return decodeFailure(layer, `${bytes.length} bytes where ${expected} belong`);
  }
  return decoded({
    ...head,
    managedRandom: bytes.subarray(8, 24),
    managedGuid: bytes.subarray(24, 40),
    authCode: bytes.subarray(40, expected),
  });
}

export interface Rakp3 {
  tag: number;
  status: number;
  managedSessionId: number;
  authCode: Uint8Array;
}

export function encodeRakp3(message: Rakp3): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(8 + message.authCode.length);
  bytes[0] = message.tag;
  bytes[1] = message.status;
  putLe32(bytes, 4, message.managedSessionId);
  bytes.set(message.authCode, 8);
  return bytes;
}

export interface Rakp4 {
  tag: number;
  status: number;
  consoleSessionId: number;
  checkValue?: Uint8Array;
}

/** `checkValueLength`: 12 for RAKP-HMAC-SHA1, 16 for RAKP-HMAC-SHA256. */
export function decodeRakp4(bytes: Uint8Array, checkValueLength: number): Decoded<Rakp4> {
  const layer = "rakp 4";
  if (bytes.length < 8) return decodeFailure(layer, `${bytes.length} bytes is shorter than 8`);
  const head = { tag: bytes[0], status: bytes[1], consoleSessionId: le32(bytes, 4) };
  if (head.status !== 0) return decoded(head);
  const expected = 8 + checkValueLength;
  if (bytes.length !== expected) {
    return decodeFailure(layer, `${bytes.length} bytes where ${expected} belong`);
  }
  return decoded({ ...head, checkValue: bytes.subarray(8, expected) });
}

/** For tests of captures: RAKP 1 and 3 as a BMC reads them. */
export function decodeRakp1(bytes: Uint8Array): Decoded<Rakp1> {
  if (bytes.length < 28) return decodeFailure("rakp 1", `${bytes.length} bytes is shorter than 28`);
  const nameLength = bytes[27];
  if (nameLength > 16 || 28 + nameLength !== bytes.length) {
    return decodeFailure(
      "rakp 1",
      `user name length ${nameLength} does not match ${bytes.length - 28} bytes`,
    );
  }
  return decoded({
    tag: bytes[0],
    managedSessionId: le32(bytes, 4),
    consoleRandom: bytes.subarray(8, 24),
    role: bytes[24],
    userName: bytes.subarray(28),
  });
}

export function decodeRakp3(bytes: Uint8Array): Decoded<Rakp3> {
  if (bytes.length < 8) return decodeFailure("rakp 3", `${bytes.length} bytes is shorter than 8`);
  return decoded({
    tag: bytes[0],
    status: bytes[1],
    managedSessionId: le32(bytes, 4),
    authCode: bytes.subarray(8),
  });
}
