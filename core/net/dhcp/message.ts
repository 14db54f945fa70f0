import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { readUint16, readUint32, requireUint, writeUint16, writeUint32 } from "../bytes.ts";
import { type Ipv4Address, readIpv4, requireIpv4, writeIpv4 } from "../ipv4addr.ts";
import { DHCP_MAGIC_COOKIE } from "./codes.ts";
import {
  BOOTP_FILE_LENGTH,
  BOOTP_SNAME_LENGTH,
  decodeOptionFields,
  type DhcpOptions,
  OVERLOAD_FILE,
  OVERLOAD_SNAME,
  packOptions,
} from "./options.ts";

// The DHCP message (RFC 2131 §2): the fixed BOOTP header (RFC 951), the magic cookie, then options.
//
//   0 op  1 htype  2 hlen  3 hops  4 xid(4)  8 secs(2)  10 flags(2)  12 ciaddr  16 yiaddr  20 siaddr
//   24 giaddr  28 chaddr(16)  44 sname(64)  108 file(128)  236 magic cookie(4)  240 options...

export const BOOTP_HEADER_LENGTH = 236;
/** Header plus magic cookie: the shortest DHCP message (with no options at all). */
export const DHCP_MIN_LENGTH = 240;
/** RFC 951's BOOTP message length, which relays and old clients expect at least: encoders pad to it. */
export const BOOTP_MIN_MESSAGE_LENGTH = 300;
/**
 * The largest IP datagram every DHCP client accepts (RFC 2131 §2); also option 57's smallest legal value
 * (RFC 2132 §9.10). Option 57 counts IP and UDP headers, so a 576-byte datagram holds a 548-byte message.
 */
export const DHCP_DEFAULT_MAX_SIZE = 576;
export const IP_UDP_HEADER_LENGTH = 28;
const CHADDR_LENGTH = 16;
const OPTIONS_OFFSET = DHCP_MIN_LENGTH;
const SNAME_OFFSET = 44;
const FILE_OFFSET = 108;

export interface DhcpMessage {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: Ipv4Address;
  yiaddr: Ipv4Address;
  siaddr: Ipv4Address;
  giaddr: Ipv4Address;
  /** The hlen-long hardware address (16 bytes max); a view when decoded. */
  chaddr: Uint8Array;
  /** BOOTP server host name, up to its first NUL; empty when the field carried overloaded options. */
  sname: string;
  /** BOOTP boot file name, up to its first NUL; empty when the field carried overloaded options. */
  file: string;
  /** Ordered option values, instances concatenated per RFC 3396 (see options.ts). */
  options: DhcpOptions;
}

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** A NUL-terminated BOOTP string; bytes that are not UTF-8 decode to U+FFFD. */
function readCString(field: Uint8Array): string {
  const end = field.indexOf(0);
  return utf8.decode(end < 0 ? field : field.subarray(0, end));
}

/**
 * Decodes a DHCP message (a UDP payload). Bytes after the options are padding and are ignored. Fails on
 * structural damage only: fewer than 240 bytes, no magic cookie (a plain BOOTP message), hlen above 16, an
 * option length running past its field, or an unusable option 52. A malformed option value still decodes
 * (as raw bytes); the typed getters report it.
 */
export function decodeDhcp(bytes: Uint8Array): Decoded<DhcpMessage> {
  if (bytes.length < DHCP_MIN_LENGTH) {
    return decodeFailure(
      "dhcp",
      `${bytes.length} bytes captured, a message needs at least ${DHCP_MIN_LENGTH}` +
        " (BOOTP header and magic cookie)",
    );
  }
  const cookie = readUint32(bytes, BOOTP_HEADER_LENGTH);
  if (cookie !== DHCP_MAGIC_COOKIE) {
    return decodeFailure(
      "dhcp",
      `magic cookie 0x${cookie.toString(16).padStart(8, "0")} is not 0x63825363 (plain BOOTP, not DHCP)`,
    );
  }
  const hlen = bytes[2];
  if (hlen > CHADDR_LENGTH) return decodeFailure("dhcp", `hlen ${hlen} exceeds the 16-byte chaddr field`);
  const sname = bytes.subarray(SNAME_OFFSET, FILE_OFFSET);
  const file = bytes.subarray(FILE_OFFSET, BOOTP_HEADER_LENGTH);
  const parsed = decodeOptionFields(
    { name: "options", bytes: bytes.subarray(OPTIONS_OFFSET), offset: OPTIONS_OFFSET },
    { name: "file", bytes: file, offset: FILE_OFFSET },
    { name: "sname", bytes: sname, offset: SNAME_OFFSET },
  );
  if (!parsed.ok) return parsed;
  const { options, overload } = parsed.value;
  return decoded({
    op: bytes[0],
    htype: bytes[1],
    hlen,
    hops: bytes[3],
    xid: readUint32(bytes, 4),
    secs: readUint16(bytes, 8),
    flags: readUint16(bytes, 10),
    ciaddr: readIpv4(bytes, 12),
    yiaddr: readIpv4(bytes, 16),
    siaddr: readIpv4(bytes, 20),
    giaddr: readIpv4(bytes, 24),
    chaddr: bytes.subarray(28, 28 + hlen),
    sname: (overload & OVERLOAD_SNAME) !== 0 ? "" : readCString(sname),
    file: (overload & OVERLOAD_FILE) !== 0 ? "" : readCString(file),
    options,
  });
}

export interface EncodeDhcpOptions {
  /**
   * The largest datagram the receiver accepts, in option 57's terms (IP and UDP headers included):
   * usually the client's option 57. Default and minimum 576 (RFC 2132 §9.10): smaller values, which
   * broken clients send, are raised to it. Options that do not fit spill into `file` and `sname` when
   * those are empty, with option 52.
   */
  readonly maxSize?: number;
}

function encodeCString(field: string, value: string, room: number): Uint8Array {
  const bytes = utf8Encoder.encode(value);
  if (bytes.includes(0)) {
    throw new RangeError(`BOOTP ${field} must not contain NUL, got ${JSON.stringify(value)}`);
  }
  if (bytes.length > room) {
    throw new RangeError(
      `BOOTP ${field} holds at most ${room} bytes, ${JSON.stringify(value)} has ${bytes.length}`,
    );
  }
  return bytes;
}

/**
 * Encodes a message: header, magic cookie, options in map order (split per RFC 3396 where longer than
 * 255 bytes, overflowing into empty `file`/`sname` with option 52 when `maxSize` would be exceeded), END,
 * and zero padding up to the BOOTP minimum of 300 bytes. An option 52 in `options` is ignored: the
 * encoder decides the overload. Throws RangeError for values that do not fit their fields.
 */
export function encodeDhcp(message: DhcpMessage, options: EncodeDhcpOptions = {}): Uint8Array<ArrayBuffer> {
  requireUint("DHCP op", message.op, 0xff);
  requireUint("DHCP htype", message.htype, 0xff);
  requireUint("DHCP hlen", message.hlen, CHADDR_LENGTH);
  requireUint("DHCP hops", message.hops, 0xff);
  requireUint("DHCP xid", message.xid, 0xffff_ffff);
  requireUint("DHCP secs", message.secs, 0xffff);
  requireUint("DHCP flags", message.flags, 0xffff);
  for (const address of [message.ciaddr, message.yiaddr, message.siaddr, message.giaddr]) {
    requireIpv4(address);
  }
  if (message.chaddr.length !== message.hlen) {
    throw new RangeError(`DHCP chaddr has ${message.chaddr.length} bytes, hlen says ${message.hlen}`);
  }
  const maxSize = options.maxSize ?? DHCP_DEFAULT_MAX_SIZE;
  requireUint("DHCP maximum message size", maxSize, 0xffff);
  const budget = Math.max(maxSize, DHCP_DEFAULT_MAX_SIZE) - IP_UDP_HEADER_LENGTH;
  const sname = encodeCString("sname", message.sname, BOOTP_SNAME_LENGTH);
  const file = encodeCString("file", message.file, BOOTP_FILE_LENGTH);
  const packed = packOptions(message.options, {
    options: budget - DHCP_MIN_LENGTH,
    file: file.length === 0,
    sname: sname.length === 0,
  });
  const bytes = new Uint8Array(Math.max(BOOTP_MIN_MESSAGE_LENGTH, DHCP_MIN_LENGTH + packed.options.length));
  bytes[0] = message.op;
  bytes[1] = message.htype;
  bytes[2] = message.hlen;
  bytes[3] = message.hops;
  writeUint32(bytes, 4, message.xid);
  writeUint16(bytes, 8, message.secs);
  writeUint16(bytes, 10, message.flags);
  writeIpv4(message.ciaddr, bytes, 12);
  writeIpv4(message.yiaddr, bytes, 16);
  writeIpv4(message.siaddr, bytes, 20);
  writeIpv4(message.giaddr, bytes, 24);
  bytes.set(message.chaddr, 28);
  bytes.set(packed.sname ?? sname, SNAME_OFFSET);
  bytes.set(packed.file ?? file, FILE_OFFSET);
  writeUint32(bytes, BOOTP_HEADER_LENGTH, DHCP_MAGIC_COOKIE);
  bytes.set(packed.options, OPTIONS_OFFSET);
  return bytes;
}
