import type { UdpProbe } from "./probe.ts";
import { encodeDnsQuery } from "./dns_query.ts";
import { type DnsMessage, isResponse, opcodeOf, rcodeOf, readDnsMessage } from "./dns_message.ts";
import { readDnsName } from "./dns_name.ts";
import { randomUint16 } from "./random.ts";
import { printable } from "./text.ts";

// Multicast DNS on port 5353 (RFC 6762), asking for DNS-SD's service type enumeration (RFC 6763 §9):
// PTR records of _services._dns-sd._udp.local. The question carries the unicast-response bit (§5.4), and
// coming from the scanner's ephemeral port rather than 5353 it is a legacy unicast query (§6.7): the
// responder answers that port directly, repeating the ID and the question. Some responders still zero the
// ID as in a multicast response (§18.1), so 0 is accepted besides the probe's own.

export const MDNS_PORT = 5353;
const TYPE_A = 1;
const TYPE_PTR = 12;
const TYPE_AAAA = 28;
const TYPE_SRV = 33;
const CLASS_IN = 1;
const UNICAST_RESPONSE = 0x8000;
const SERVICES = "_services._dns-sd._udp.local";

export interface MdnsProbeOptions {
  /** Transaction ID; random by default, never 0 so a zeroed reply ID stays distinguishable. */
  readonly id?: number;
}

export function mdnsProbe({ id = randomUint16() || 1 }: MdnsProbeOptions = {}): UdpProbe {
  const query = encodeDnsQuery({
    id,
    flags: 0,
    labels: SERVICES.split("."),
    type: TYPE_PTR,
    class: CLASS_IN | UNICAST_RESPONSE,
  });
  return {
    name: "mdns-dns-sd-services",
    payload: () => query.slice(),
    recognise(reply) {
      const message = readDnsMessage(reply);
      if (message === undefined || (message.id !== id && message.id !== 0)) return undefined;
      // §18.11: messages with a non-zero response code are to be ignored, so they cannot be mDNS answers.
      const flags = message.flags;
      if (!isResponse(flags) || opcodeOf(flags) !== 0 || rcodeOf(flags) !== 0) return undefined;
      if (message.questions.some((q) => q.name.toLowerCase() !== SERVICES || q.type !== TYPE_PTR)) {
        return undefined;
      }
      const detail = describe(reply, message);
      return detail === undefined ? undefined : { service: "mdns", detail };
    },
  };
}

/**
 * Service types from the enumeration, host names from address records and SRV targets; undefined when
 * one of those names is malformed or runs past its record, which makes the whole reply malformed.
 */
function describe(reply: Uint8Array, message: DnsMessage): string | undefined {
  const services = new Set<string>();
  const hosts = new Set<string>();
  for (const record of message.records) {
    const nameAt = (offset: number) => {
      const name = readDnsName(reply, record.dataOffset + offset);
      return name !== undefined && name.end <= record.dataOffset + record.data.length ? name.name : undefined;
    };
    if (record.type === TYPE_PTR && record.name.toLowerCase() === SERVICES) {
      const service = nameAt(0);
      if (service === undefined) return undefined;
      services.add(service);
    } else if (record.type === TYPE_A || record.type === TYPE_AAAA) {
      hosts.add(record.name);
    } else if (record.type === TYPE_SRV) {
      // Priority, weight and port come before the target.
      const host = record.data.length > 6 ? nameAt(6) : undefined;
      if (host === undefined) return undefined;
      hosts.add(host);
    }
  }
  const parts = [];
  if (hosts.size > 0) parts.push(`hosts ${[...hosts].join(" ")}`);
  if (services.size > 0) parts.push(`services ${[...services].join(" ")}`);
  return parts.length > 0 ? printable(parts.join("; ")) : `answered with ${message.records.length} records`;
}
