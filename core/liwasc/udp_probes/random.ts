// Transaction IDs, nonces and names for probes. They come from the CSPRNG: an ID a peer could predict
// would let it forge replies for services the target does not run.
import { toHexString } from "../../net/bytes.ts";

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function randomUint16(): number {
  const [high, low] = randomBytes(2);
  return (high << 8) | low;
}

/** 1 to 2^31 - 1: positive in every signed 32-bit field (SNMP request-id, RPC xid). */
export function randomPositiveInt31(): number {
  const bytes = randomBytes(4);
  const value = (((bytes[0] & 0x7f) << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  return value === 0 ? 1 : value;
}

export function randomHex(byteCount: number): string {
  return toHexString(randomBytes(byteCount));
}
