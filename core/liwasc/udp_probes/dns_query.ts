import { requireUint, writeUint16 } from "../../net/bytes.ts";
import { DNS_HEADER_LENGTH } from "./dns_message.ts";
import { encodeDnsName } from "./dns_name.ts";

// A message with one question and no records (RFC 1035 §4.1.1-4.1.2): what the DNS, mDNS and NetBIOS
// name service probes send.

export interface DnsQueryInit {
  readonly id: number;
  /** The header's second 16 bits: QR, opcode, AA, TC, RD, RA, Z, RCODE (NetBIOS names them differently). */
  readonly flags: number;
  readonly labels: readonly string[];
  readonly type: number;
  /** May carry mDNS's unicast-response bit (0x8000). */
  readonly class: number;
}

export function encodeDnsQuery(query: DnsQueryInit): Uint8Array {
  requireUint("DNS ID", query.id, 0xffff);
  requireUint("DNS flags", query.flags, 0xffff);
  requireUint("DNS question type", query.type, 0xffff);
  requireUint("DNS question class", query.class, 0xffff);
  const name = encodeDnsName(query.labels);
  const bytes = new Uint8Array(DNS_HEADER_LENGTH + name.length + 4);
  writeUint16(bytes, 0, query.id);
  writeUint16(bytes, 2, query.flags);
  writeUint16(bytes, 4, 1);
  bytes.set(name, DNS_HEADER_LENGTH);
  writeUint16(bytes, DNS_HEADER_LENGTH + name.length, query.type);
  writeUint16(bytes, DNS_HEADER_LENGTH + name.length + 2, query.class);
  return bytes;
}
