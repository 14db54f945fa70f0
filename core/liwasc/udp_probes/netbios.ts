import { toHexString } from "../../net/bytes.ts";
import { readUint16 } from "../../net/bytes.ts";
import type { UdpProbe } from "./probe.ts";
import { encodeDnsQuery } from "./dns_query.ts";
import { type DnsRecord, isResponse, opcodeOf, rcodeOf, readDnsMessage } from "./dns_message.ts";
import { randomUint16 } from "./random.ts";
import { printable } from "./text.ts";

// NetBIOS name service on port 137 (RFC 1002 §4.2.17-4.2.18): a node status request (NBSTAT) for the
// wildcard name "*", the query of `nbtstat -A` and `nmblookup -A`. Sent to one node, not broadcast, so
// the B flag is clear and all of NM_FLAGS are 0. The node answers with the names it has registered: its
// computer name, its workgroup or domain, a name per service, and a MAC address in the statistics.

export const NETBIOS_NS_PORT = 137;
const TYPE_NBSTAT = 0x21;
const CLASS_IN = 1;
/** A NODE_NAME entry: 15 name bytes, the suffix byte, then NAME_FLAGS. */
const NODE_NAME_LENGTH = 18;
const GROUP_NAME = 0x8000;
/** Suffix 0x00: the workstation service, whose unique name is the computer's, group name the workgroup's. */
const SUFFIX_WORKSTATION = 0x00;

/**
 * First-level encoding (RFC 1001 §14.1) of "*" padded with NULs to 16 bytes, as RFC 1002 §4.2.17 asks:
 * each byte becomes two letters, 'A' plus its high nibble then 'A' plus its low nibble.
 */
export const WILDCARD_NAME = "CK" + "AA".repeat(15);

export interface NetbiosProbeOptions {
  /** NAME_TRN_ID; random by default. */
  readonly id?: number;
}

export function netbiosProbe({ id = randomUint16() }: NetbiosProbeOptions = {}): UdpProbe {
  const query = encodeDnsQuery({ id, flags: 0, labels: [WILDCARD_NAME], type: TYPE_NBSTAT, class: CLASS_IN });
  return {
    name: "netbios-nbstat",
    payload: () => query.slice(),
    recognise(reply) {
      const message = readDnsMessage(reply);
      if (message === undefined || message.id !== id) return undefined;
      if (!isResponse(message.flags) || opcodeOf(message.flags) !== 0) return undefined;
      const rcode = rcodeOf(message.flags);
      if (rcode !== 0) return { service: "netbios-ns", detail: `answered with rcode ${rcode}` };
      const answer = message.records
        .slice(0, message.answerCount)
        .find((record) => record.type === TYPE_NBSTAT && record.class === CLASS_IN);
      const detail = answer === undefined ? undefined : describeNodeStatus(answer);
      return detail === undefined ? undefined : { service: "netbios-ns", detail };
    },
  };
}

/** The names and MAC of a NODE STATUS RESPONSE's RDATA; undefined when the name table overruns it. */
function describeNodeStatus(answer: DnsRecord): string | undefined {
  const data = answer.data;
  if (data.length < 1) return undefined;
  const count = data[0];
  const statistics = 1 + count * NODE_NAME_LENGTH;
  if (statistics > data.length) return undefined;
  let computer: string | undefined;
  let workgroup: string | undefined;
  for (let at = 1; at < statistics; at += NODE_NAME_LENGTH) {
    if (data[at + 15] !== SUFFIX_WORKSTATION) continue;
    const name = printable(String.fromCharCode(...data.subarray(at, at + 15)).replace(/[ \0]+$/, ""));
    if (readUint16(data, at + 16) & GROUP_NAME) workgroup ??= name;
    else computer ??= name;
  }
  const parts = [];
  if (computer) parts.push(`name ${computer}`);
  if (workgroup) parts.push(`group ${workgroup}`);
  // The unit ID: a MAC on Windows, often zeros from Samba.
  const mac = data.subarray(statistics, statistics + 6);
  if (mac.length === 6 && mac.some((byte) => byte !== 0)) {
    parts.push(`MAC ${toHexString(mac, ":")}`);
  }
  return parts.length > 0 ? parts.join(", ") : `${count} names`;
}
