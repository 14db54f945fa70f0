import { type Decoded, decoded, decodeFailure } from "../../net/errors.ts";

// The network's revocation list, signed by the network key. A newer list (issuedAt) replaces an older one;
// nodes pass the newest they have to every peer they link with, so a revocation spreads like the routing
// announcements do. Layout, big-endian:
//
//   version      1   (1)
//   network id  16
//   issued at    8   ms since the epoch
//   count        4
//   serials      8 × count
//   signature   64   Ed25519 by the network key over everything before it

const HEADER_LENGTH = 1 + 16 + 8 + 4;
const SIGNATURE_LENGTH = 64;
/** Far more than a network revokes; bounds what a peer can make us parse. */
export const MAX_REVOKED = 100_000;

export interface RevocationList {
  networkId: Uint8Array;
  issuedAt: number;
  serials: bigint[];
  body: Uint8Array;
  signature: Uint8Array;
}

export function encodeRevocationBody(networkId: Uint8Array, issuedAt: number, serials: bigint[]): Uint8Array {
  if (networkId.length !== 16) throw new RangeError("network id must be 16 bytes");
  if (serials.length > MAX_REVOKED) throw new RangeError(`at most ${MAX_REVOKED} revocations`);
  const bytes = new Uint8Array(HEADER_LENGTH + 8 * serials.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  bytes.set(networkId, 1);
  view.setBigUint64(17, BigInt(issuedAt));
  view.setUint32(25, serials.length);
  serials.forEach((serial, index) => view.setBigUint64(HEADER_LENGTH + 8 * index, serial));
  return bytes;
}

export function decodeRevocationList(bytes: Uint8Array): Decoded<RevocationList> {
  if (bytes.length < HEADER_LENGTH + SIGNATURE_LENGTH) {
    return decodeFailure("revocations", `${bytes.length} bytes is shorter than any list`);
  }
  if (bytes[0] !== 1) return decodeFailure("revocations", `unknown version ${bytes[0]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(25);
  if (count > MAX_REVOKED) {
    return decodeFailure("revocations", `${count} entries is over the ${MAX_REVOKED} limit`);
  }
  const bodyLength = HEADER_LENGTH + 8 * count;
  if (bytes.length !== bodyLength + SIGNATURE_LENGTH) {
    return decodeFailure(
      "revocations",
      `${bytes.length} bytes, the count says ${bodyLength + SIGNATURE_LENGTH}`,
    );
  }
  const issuedAt = view.getBigUint64(17);
  if (issuedAt > BigInt(Number.MAX_SAFE_INTEGER)) {
    return decodeFailure("revocations", "issue time out of range");
  }
  return decoded({
    networkId: bytes.slice(1, 17),
    issuedAt: Number(issuedAt),
    serials: Array.from({ length: count }, (_, index) => view.getBigUint64(HEADER_LENGTH + 8 * index)),
    body: bytes.slice(0, bodyLength),
    signature: bytes.slice(bodyLength),
  });
}
