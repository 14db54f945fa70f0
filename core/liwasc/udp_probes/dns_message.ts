import { readUint16, readUint32 } from "../../net/bytes.ts";
import { readDnsName } from "./dns_name.ts";

// The message layout shared by DNS, mDNS and NetBIOS name service (RFC 1035 §4.1): a 12-byte header,
// questions, then answer, authority and additional records. readDnsMessage accepts a reply only when
// every section its header counts is there in full: a reply cut short or padded with garbage counts is
// not taken as the service. Bytes after the last record are ignored.

export const DNS_HEADER_LENGTH = 12;
const FLAG_RESPONSE = 0x8000;

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  /** As sent: mDNS sets the top bit for cache-flush, callers mask it when they compare. */
  readonly class: number;
  readonly ttl: number;
  /** Offset of the record data in the message: names inside it may point anywhere before it. */
  readonly dataOffset: number;
  /** View of exactly the RDLENGTH bytes. */
  readonly data: Uint8Array;
}

export interface DnsMessage {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly DnsQuestion[];
  /** Answer, authority and additional records, in that order. */
  readonly records: readonly DnsRecord[];
  readonly answerCount: number;
}

export const isResponse = (flags: number): boolean => (flags & FLAG_RESPONSE) !== 0;
export const opcodeOf = (flags: number): number => (flags >>> 11) & 0xf;
export const rcodeOf = (flags: number): number => flags & 0xf;

export function readDnsMessage(message: Uint8Array): DnsMessage | undefined {
  if (message.length < DNS_HEADER_LENGTH) return undefined;
  const questionCount = readUint16(message, 4);
  const answerCount = readUint16(message, 6);
  const recordCount = answerCount + readUint16(message, 8) + readUint16(message, 10);
  // A question takes at least 5 bytes and a record 11: counts beyond what fits are lies, caught before
  // any parsing work is spent on them.
  if (DNS_HEADER_LENGTH + questionCount * 5 + recordCount * 11 > message.length) return undefined;
  const questions: DnsQuestion[] = [];
  let at = DNS_HEADER_LENGTH;
  for (let i = 0; i < questionCount; i++) {
    const name = readDnsName(message, at);
    if (name === undefined || name.end + 4 > message.length) return undefined;
    questions.push({
      name: name.name,
      type: readUint16(message, name.end),
      class: readUint16(message, name.end + 2),
    });
    at = name.end + 4;
  }
  const records: DnsRecord[] = [];
  for (let i = 0; i < recordCount; i++) {
    const name = readDnsName(message, at);
    if (name === undefined || name.end + 10 > message.length) return undefined;
    const dataOffset = name.end + 10;
    const dataEnd = dataOffset + readUint16(message, name.end + 8);
    if (dataEnd > message.length) return undefined;
    records.push({
      name: name.name,
      type: readUint16(message, name.end),
      class: readUint16(message, name.end + 2),
      ttl: readUint32(message, name.end + 4),
      dataOffset,
      data: message.subarray(dataOffset, dataEnd),
    });
    at = dataEnd;
  }
  return { id: readUint16(message, 0), flags: readUint16(message, 2), questions, records, answerCount };
}

/** The character-strings of a TXT record (RFC 1035 §3.3.14), or undefined when one overruns the data. */
export function readCharacterStrings(data: Uint8Array): Uint8Array[] | undefined {
  const strings: Uint8Array[] = [];
  for (let at = 0; at < data.length;) {
    const end = at + 1 + data[at];
    if (end > data.length) return undefined;
    strings.push(data.subarray(at + 1, end));
    at = end;
  }
  return strings;
}
