import { IFNAMSIZ, IFREQ_SIZE } from "./constants.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Byte offset of the union in struct ifreq (ifr_flags, ifr_mtu, ifr_ifindex, ifr_hwaddr …). */
export const IFREQ_UNION = 16;

/**
 * The interface name as the kernel wants it: at most IFNAMSIZ-1 bytes plus NUL. Longer names would be
 * silently cut by some calls and rejected by others, so they are refused here with a clear message.
 */
export function interfaceNameBytes(name: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(name);
  if (bytes.length === 0 || bytes.length >= IFNAMSIZ || bytes.includes(0) || name.includes("/")) {
    throw new RangeError(`invalid interface name ${JSON.stringify(name)}: 1 to ${IFNAMSIZ - 1} bytes`);
  }
  const out = new Uint8Array(IFNAMSIZ);
  out.set(bytes);
  return out;
}

/** A zeroed struct ifreq with ifr_name set, plus a DataView over it for the union fields. */
export function newIfreq(name: string): { bytes: Uint8Array<ArrayBuffer>; view: DataView } {
  const bytes = new Uint8Array(IFREQ_SIZE);
  bytes.set(interfaceNameBytes(name));
  return { bytes, view: new DataView(bytes.buffer) };
}

/** ifr_name as the kernel left it (TUNSETIFF writes back the name it chose for "tap%d"). */
export function ifreqName(bytes: Uint8Array): string {
  const name = bytes.subarray(0, IFNAMSIZ);
  const end = name.indexOf(0);
  return decoder.decode(end < 0 ? name : name.subarray(0, end));
}
