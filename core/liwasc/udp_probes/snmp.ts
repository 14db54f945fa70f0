import type { UdpProbe } from "./probe.ts";
import {
  BER_NULL,
  BER_OCTET_STRING,
  BER_OID,
  BER_SEQUENCE,
  berInteger,
  berOid,
  berTlv,
  readInteger,
  readTagged,
  readTlv,
} from "./ber.ts";
import { randomPositiveInt31 } from "./random.ts";
import { printable, printableBytes } from "./text.ts";

// SNMP on port 161: an SNMPv2c GetRequest (RFC 3416 §4.2.1, message format of RFC 1901 §3) for
// sysDescr.0 (RFC 3418) with community "public", the read community most agents ship with. An agent
// that does not know the community drops the request, so silence here says nothing about SNMP. The reply
// must be a GetResponse carrying the request-id sent.
//
//   Message ::= SEQUENCE { version INTEGER (1 = v2c), community OCTET STRING, data PDU }
//   PDU     ::= [tag] { request-id INTEGER, error-status INTEGER, error-index INTEGER, VarBindList }
//   VarBind ::= SEQUENCE { name OBJECT IDENTIFIER, value }

export const SNMP_PORT = 161;
const VERSION_2C = 1;
const VERSION_1 = 0;
const GET_REQUEST = 0xa0;
const GET_RESPONSE = 0xa2;
const SYS_DESCR_0 = [1, 3, 6, 1, 2, 1, 1, 1, 0];
/** The varbind value tags of RFC 3416 §3 that stand for "no value". */
const EXCEPTIONS: Record<number, string> = {
  0x80: "noSuchObject",
  0x81: "noSuchInstance",
  0x82: "endOfMibView",
};
const ERROR_STATUS = [
  "noError",
  "tooBig",
  "noSuchName",
  "badValue",
  "readOnly",
  "genErr",
  "noAccess",
  "wrongType",
  "wrongLength",
  "wrongEncoding",
  "wrongValue",
  "noCreation",
  "inconsistentValue",
  "resourceUnavailable",
  "commitFailed",
  "undoFailed",
  "authorizationError",
  "notWritable",
  "inconsistentName",
];

export interface SnmpProbeOptions {
  /** request-id; random by default, 1 to 2^31 - 1. */
  readonly requestId?: number;
  readonly community?: string;
}

export function snmpProbe(
  { requestId = randomPositiveInt31(), community = "public" }: SnmpProbeOptions = {},
): UdpProbe {
  const sysDescrOid = berOid(SYS_DESCR_0);
  const request = berTlv(
    BER_SEQUENCE,
    berInteger(VERSION_2C),
    berTlv(BER_OCTET_STRING, new TextEncoder().encode(community)),
    berTlv(
      GET_REQUEST,
      berInteger(requestId),
      berInteger(0),
      berInteger(0),
      berTlv(BER_SEQUENCE, berTlv(BER_SEQUENCE, sysDescrOid, berTlv(BER_NULL))),
    ),
  );
  return {
    name: "snmp-v2c-sysdescr",
    payload: () => request.slice(),
    recognise(reply) {
      const response = readGetResponse(reply);
      if (response === undefined || response.requestId !== requestId) return undefined;
      return { service: "snmp", detail: describe(reply, response, sysDescrOid) };
    },
  };
}

interface GetResponse {
  readonly requestId: number;
  readonly errorStatus: number;
  /** Offsets of the first varbind's name TLV and value TLV, when there is one. */
  readonly name?: { start: number; end: number };
  readonly value?: { tag: number; start: number; end: number };
}

function readGetResponse(reply: Uint8Array): GetResponse | undefined {
  const message = readTagged(reply, 0, reply.length, BER_SEQUENCE);
  if (message === undefined) return undefined;
  const version = readTlv(reply, message.start, message.end);
  const versionValue = version && readInteger(reply, version);
  // Agents answer in the version asked; v1 is let through for agents that get that wrong.
  if (version === undefined || (versionValue !== VERSION_2C && versionValue !== VERSION_1)) return undefined;
  const community = readTagged(reply, version.end, message.end, BER_OCTET_STRING);
  const pdu = community && readTagged(reply, community.end, message.end, GET_RESPONSE);
  if (pdu === undefined) return undefined;
  const fields: number[] = [];
  let at = pdu.start;
  for (let i = 0; i < 3; i++) {
    const tlv = readTlv(reply, at, pdu.end);
    const value = tlv && readInteger(reply, tlv);
    if (value === undefined) return undefined;
    fields.push(value);
    at = tlv!.end;
  }
  const varbinds = readTagged(reply, at, pdu.end, BER_SEQUENCE);
  if (varbinds === undefined) return undefined;
  const [requestId, errorStatus] = fields;
  if (varbinds.start === varbinds.end) return { requestId, errorStatus };
  const varbind = readTagged(reply, varbinds.start, varbinds.end, BER_SEQUENCE);
  const name = varbind && readTagged(reply, varbind.start, varbind.end, BER_OID);
  const value = name && readTlv(reply, name.end, varbind!.end);
  if (value === undefined) return undefined;
  return { requestId, errorStatus, name, value };
}

function describe(reply: Uint8Array, response: GetResponse, sysDescrOid: Uint8Array): string {
  if (response.errorStatus !== 0) {
    const name = ERROR_STATUS[response.errorStatus] ?? "unknown";
    return `error-status ${name}(${response.errorStatus})`;
  }
  const { name, value } = response;
  if (name === undefined || value === undefined) return "answered without varbinds";
  const isSysDescr = name.end - name.start === sysDescrOid.length - 2 &&
    reply.subarray(name.start, name.end).every((byte, i) => byte === sysDescrOid[i + 2]);
  if (!isSysDescr) return "answered for another object";
  if (value.tag in EXCEPTIONS) return `sysDescr: ${EXCEPTIONS[value.tag]}`;
  if (value.tag !== BER_OCTET_STRING) return `sysDescr of type 0x${value.tag.toString(16)}`;
  return printable(`sysDescr: ${printableBytes(reply.subarray(value.start, value.end))}`);
}
