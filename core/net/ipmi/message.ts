import { type Decoded, decoded, decodeFailure } from "../errors.ts";

// The IPMI LAN message inside a session payload (IPMI v2.0, section 13.8, figure 13-4): responder address,
// netFn/LUN, checksum over those two, requester address, sequence/LUN, command, data, checksum over
// everything after the first checksum. A response carries the completion code as its first data byte.

export const BMC_SLAVE_ADDRESS = 0x20;
/** The requester address of remote console software (software ID 0x40, shifted, bit 0 set). */
export const REMOTE_CONSOLE_ADDRESS = 0x81;

export interface IpmiRequest {
  netFn: number;
  command: number;
  /** 6-bit sequence number that pairs the response with the request. */
  sequence: number;
  data?: Uint8Array;
  responderAddress?: number;
  responderLun?: number;
  requesterAddress?: number;
  requesterLun?: number;
}

export interface IpmiResponse {
  netFn: number;
  command: number;
  sequence: number;
  completionCode: number;
  data: Uint8Array;
  responderAddress: number;
  requesterAddress: number;
}

/** The two's complement checksum IPMI uses: the bytes plus it sum to 0 modulo 256. */
export function ipmiChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + bytes[i]) & 0xff;
  return (0x100 - sum) & 0xff;
}

export function encodeIpmiRequest(request: IpmiRequest): Uint8Array<ArrayBuffer> {
  const data = request.data ?? new Uint8Array(0);
  if (request.netFn < 0 || request.netFn > 0x3f) throw new RangeError(`netFn ${request.netFn} is not 6 bits`);
  if (request.sequence < 0 || request.sequence > 0x3f) {
    throw new RangeError(`sequence ${request.sequence} is not 6 bits`);
  }
  const bytes = new Uint8Array(7 + data.length);
  bytes[0] = request.responderAddress ?? BMC_SLAVE_ADDRESS;
  bytes[1] = (request.netFn << 2) | ((request.responderLun ?? 0) & 3);
  bytes[2] = ipmiChecksum(bytes, 0, 2);
  bytes[3] = request.requesterAddress ?? REMOTE_CONSOLE_ADDRESS;
  bytes[4] = (request.sequence << 2) | ((request.requesterLun ?? 0) & 3);
  bytes[5] = request.command;
  bytes.set(data, 6);
  bytes[6 + data.length] = ipmiChecksum(bytes, 3, 6 + data.length);
  return bytes;
}

/** A response message; both checksums must hold and the netFn must be a response's (odd). */
export function decodeIpmiResponse(bytes: Uint8Array): Decoded<IpmiResponse> {
  if (bytes.length < 8) {
    return decodeFailure("ipmi message", `${bytes.length} bytes is shorter than a response (8 bytes)`);
  }
  if (ipmiChecksum(bytes, 0, 3) !== 0) return decodeFailure("ipmi message", "header checksum mismatch");
  if (ipmiChecksum(bytes, 3, bytes.length) !== 0) {
    return decodeFailure("ipmi message", "data checksum mismatch");
  }
  const netFn = bytes[1] >>> 2;
  if ((netFn & 1) === 0) return decodeFailure("ipmi message", `netFn 0x${netFn.toString(16)} is a request`);
  return decoded({
    requesterAddress: bytes[0],
    netFn,
    responderAddress: bytes[3],
    sequence: bytes[4] >>> 2,
    command: bytes[5],
    completionCode: bytes[6],
    data: bytes.subarray(7, bytes.length - 1),
  });
}

/** For tests and captures: a request message decoded with its checksums checked. */
export function decodeIpmiRequest(bytes: Uint8Array): Decoded<Required<IpmiRequest>> {
  if (bytes.length < 7) {
    return decodeFailure("ipmi message", `${bytes.length} bytes is shorter than a request`);
  }
  if (ipmiChecksum(bytes, 0, 3) !== 0) return decodeFailure("ipmi message", "header checksum mismatch");
  if (ipmiChecksum(bytes, 3, bytes.length) !== 0) {
    return decodeFailure("ipmi message", "data checksum mismatch");
  }
  return decoded({
    responderAddress: bytes[0],
    netFn: bytes[1] >>> 2,
    responderLun: bytes[1] & 3,
    requesterAddress: bytes[3],
    sequence: bytes[4] >>> 2,
    requesterLun: bytes[4] & 3,
    command: bytes[5],
    data: bytes.subarray(6, bytes.length - 1),
  });
}
