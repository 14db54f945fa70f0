import { type Decoded, decoded, decodeFailure } from "./errors.ts";
import { MAC_LENGTH, type MacAddress, readMac, requireMac, writeMac } from "./mac.ts";

// Wake-on-LAN magic packet (AMD's "Magic Packet Technology" white paper): six 0xFF bytes, then the target
// MAC sixteen times, optionally followed by a 4- or 6-byte SecureOn password. It travels as the payload of
// an Ethernet frame with EtherType 0x0842 or of a UDP datagram (ports 9 or 7); NICs look for the pattern
// anywhere in a frame, so the decoder does too.

export const ETHERTYPE_WAKE_ON_LAN = 0x0842;
export const WOL_SYNC_LENGTH = 6;
export const WOL_REPETITIONS = 16;
export const WOL_PAYLOAD_LENGTH = WOL_SYNC_LENGTH + WOL_REPETITIONS * MAC_LENGTH;

export interface MagicPacket {
  readonly mac: MacAddress;
  /** SecureOn password: 4 or 6 bytes, or absent. */
  readonly password?: Uint8Array;
}

/** Parses a SecureOn password written like a MAC (6 bytes) or as a dotted IPv4-style quad (4 bytes). */
export function parseSecureOnPassword(text: string): Uint8Array<ArrayBuffer> {
  const asMac = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(text);
  if (asMac) return Uint8Array.from(text.split(/[:-]/), (part) => Number.parseInt(part, 16));
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad && quad.slice(1).every((part) => Number(part) <= 255)) {
    return Uint8Array.from(quad.slice(1), Number);
  }
  throw new RangeError(
    `invalid SecureOn password ${JSON.stringify(text)}: expected 6 hex bytes like a MAC or 4 dotted decimals`,
  );
}

export function encodeMagicPacket(packet: MagicPacket): Uint8Array<ArrayBuffer> {
  requireMac(packet.mac);
  const passwordLength = packet.password?.length ?? 0;
  if (passwordLength !== 0 && passwordLength !== 4 && passwordLength !== 6) {
    throw new RangeError(`a SecureOn password is 4 or 6 bytes, not ${passwordLength}`);
  }
  const bytes = new Uint8Array(WOL_PAYLOAD_LENGTH + passwordLength);
  bytes.fill(0xff, 0, WOL_SYNC_LENGTH);
  for (let i = 0; i < WOL_REPETITIONS; i++) writeMac(packet.mac, bytes, WOL_SYNC_LENGTH + i * MAC_LENGTH);
  if (packet.password) bytes.set(packet.password, WOL_PAYLOAD_LENGTH);
  return bytes;
}

function isMagicAt(bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < WOL_SYNC_LENGTH; i++) if (bytes[start + i] !== 0xff) return false;
  const first = start + WOL_SYNC_LENGTH;
  for (let repeat = 1; repeat < WOL_REPETITIONS; repeat++) {
    const offset = first + repeat * MAC_LENGTH;
    for (let i = 0; i < MAC_LENGTH; i++) if (bytes[offset + i] !== bytes[first + i]) return false;
  }
  return true;
}

/**
 * Finds a magic packet anywhere in `bytes`, as a NIC does. Bytes right after the sixteenth repetition are
 * read as a SecureOn password when exactly 4 or 6 remain.
 */
export function decodeMagicPacket(bytes: Uint8Array): Decoded<MagicPacket> {
  for (let start = 0; start + WOL_PAYLOAD_LENGTH <= bytes.length; start++) {
    if (bytes[start] !== 0xff) continue;
    // A run of more than six 0xFF bytes: the sync stream is the last six of them.
    let syncEnd = start;
    while (syncEnd < bytes.length && bytes[syncEnd] === 0xff) syncEnd++;
    for (let candidate = start; candidate <= syncEnd - WOL_SYNC_LENGTH; candidate++) {
      if (candidate + WOL_PAYLOAD_LENGTH > bytes.length) break;
      if (!isMagicAt(bytes, candidate)) continue;
      const mac = readMac(bytes, candidate + WOL_SYNC_LENGTH);
      const rest = bytes.length - (candidate + WOL_PAYLOAD_LENGTH);
      const password = rest === 4 || rest === 6 ? bytes.slice(candidate + WOL_PAYLOAD_LENGTH) : undefined;
      return decoded(password ? { mac, password } : { mac });
    }
    start = syncEnd - 1;
  }
  return decodeFailure("wol", `no magic packet (6 x 0xFF then one MAC 16 times) in ${bytes.length} bytes`);
}
