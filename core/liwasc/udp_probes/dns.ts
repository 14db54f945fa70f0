import type { UdpProbe } from "./probe.ts";
import { encodeDnsQuery } from "./dns_query.ts";
import {
  type DnsQuestion,
  type DnsRecord,
  isResponse,
  opcodeOf,
  rcodeOf,
  readCharacterStrings,
  readDnsMessage,
} from "./dns_message.ts";
import { randomUint16 } from "./random.ts";
import { printable, printableBytes } from "./text.ts";

// DNS on port 53 (RFC 1035). The probe asks for version.bind, class CHAOS, type TXT, recursion not
// desired, rather than the root NS set: a server answers it from itself, so the scan never makes an open
// resolver query the root on its behalf; the answer is a few dozen bytes where root NS with glue is
// several hundred (less amplification if the source were ever spoofed); and when a server does answer,
// it names its software. Servers that hide their version still answer, with REFUSED, NOTIMP or an empty
// NOERROR under the probe's ID, which is all "open" needs.

export const DNS_PORT = 53;
const TYPE_TXT = 16;
const CLASS_CHAOS = 3;
const QUESTION = { labels: ["version", "bind"], type: TYPE_TXT, class: CLASS_CHAOS } as const;

const RCODE_NAMES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];

export interface DnsProbeOptions {
  /** Transaction ID; random by default. */
  readonly id?: number;
}

export function dnsProbe({ id = randomUint16() }: DnsProbeOptions = {}): UdpProbe {
  const query = encodeDnsQuery({ id, flags: 0, ...QUESTION });
  return {
    name: "dns-version-bind",
    payload: () => query.slice(),
    recognise(reply) {
      const message = readDnsMessage(reply);
      if (message === undefined || message.id !== id) return undefined;
      if (!isResponse(message.flags) || opcodeOf(message.flags) !== 0) return undefined;
      // Error replies may leave the question out; when it is there it must be the one asked.
      if (message.questions.length > 1) return undefined;
      const question = message.questions[0];
      if (question !== undefined && !isVersionBind(question)) return undefined;
      const rcode = rcodeOf(message.flags);
      const version = rcode === 0 ? versionText(message.records.slice(0, message.answerCount)) : undefined;
      if (version !== undefined) return { service: "dns", detail: printable(`version.bind: ${version}`) };
      const outcome = RCODE_NAMES[rcode] ?? `rcode ${rcode}`;
      return { service: "dns", detail: `answered ${outcome}${rcode === 0 ? " without a version" : ""}` };
    },
  };
}

function isVersionBind(entry: DnsQuestion): boolean {
  return entry.name.toLowerCase() === "version.bind" && entry.type === TYPE_TXT &&
    (entry.class & 0x7fff) === CLASS_CHAOS;
}

function versionText(answers: readonly DnsRecord[]): string | undefined {
  for (const answer of answers) {
    if (!isVersionBind(answer)) continue;
    const strings = readCharacterStrings(answer.data);
    if (strings !== undefined && strings.length > 0) return strings.map((s) => printableBytes(s)).join(" ");
  }
  return undefined;
}
