import { readUint16, readUint32 } from "../../net/bytes.ts";
import type { UdpProbe } from "./probe.ts";
import {
  encodeMainModeRequest,
  EXCHANGE_MAIN_MODE,
  ISAKMP_HEADER_LENGTH,
  PAYLOAD_SA,
} from "./ike_request.ts";
import { randomBytes } from "./random.ts";
import { printable } from "./text.ts";

// IKE on port 500: the first Main Mode message of IKEv1 (ike_request.ts). The reply must carry the
// probe's initiator cookie. IKEv1 gateways answer with their SA choice (and a responder cookie) or an
// Informational notification such as NO-PROPOSAL-CHOSEN; IKEv2-only daemons may answer in IKEv2 with
// INVALID_MAJOR_VERSION (RFC 7296 §1.5), which identifies IKE just as well.

export const IKE_PORT = 500;
const EXCHANGE_INFORMATIONAL = 5;
const FLAG_ENCRYPTED = 0x01;
const PAYLOAD_NOTIFICATION = 11;
const PAYLOAD_VENDOR_ID = 13;
/** A reply with more payloads than this is not an answer to a first message. */
const MAX_PAYLOADS = 32;
/** RFC 2408 §3.14.1 */
const NOTIFY_NAMES: Record<number, string> = {
  4: "INVALID-COOKIE",
  5: "INVALID-MAJOR-VERSION",
  7: "INVALID-EXCHANGE-TYPE",
  14: "NO-PROPOSAL-CHOSEN",
  16: "PAYLOAD-MALFORMED",
};

export interface IkeProbeOptions {
  /** The 8-byte initiator cookie; random by default. */
  readonly cookie?: Uint8Array;
}

export function ikeProbe({ cookie = randomBytes(8) }: IkeProbeOptions = {}): UdpProbe {
  const request = encodeMainModeRequest(cookie);
  return {
    name: "ike-main-mode",
    payload: () => request.slice(),
    recognise(reply) {
      if (reply.length < ISAKMP_HEADER_LENGTH || !cookie.every((byte, i) => reply[i] === byte)) {
        return undefined;
      }
      const length = readUint32(reply, 24);
      if (length < ISAKMP_HEADER_LENGTH || length > reply.length) return undefined;
      const major = reply[17] >>> 4;
      if (major === 2) return { service: "ike", detail: "IKEv2 answered an IKEv1 offer" };
      if (major !== 1) return undefined;
      const exchange = reply[18];
      const hasResponderCookie = reply.subarray(8, 16).some((byte) => byte !== 0);
      // A Main Mode reply names the responder's cookie; without one it is our own message reflected.
      if (exchange === EXCHANGE_MAIN_MODE && !hasResponderCookie) return undefined;
      if (exchange !== EXCHANGE_MAIN_MODE && exchange !== EXCHANGE_INFORMATIONAL) return undefined;
      if (reply[19] & FLAG_ENCRYPTED) return { service: "ike", detail: "IKEv1, encrypted reply" };
      const payloads = readPayloadChain(reply, length);
      return payloads === undefined ? undefined : { service: "ike", detail: describe(reply, payloads) };
    },
  };
}

interface Payload {
  readonly type: number;
  readonly start: number;
  readonly end: number;
}

/** The payloads after the header; undefined when one overruns the message or the chain never ends. */
function readPayloadChain(reply: Uint8Array, length: number): Payload[] | undefined {
  const payloads: Payload[] = [];
  let type = reply[16];
  let at = ISAKMP_HEADER_LENGTH;
  while (type !== 0) {
    if (payloads.length === MAX_PAYLOADS || at + 4 > length) return undefined;
    const payloadLength = readUint16(reply, at + 2);
    if (payloadLength < 4 || at + payloadLength > length) return undefined;
    payloads.push({ type, start: at, end: at + payloadLength });
    type = reply[at];
    at += payloadLength;
  }
  return payloads;
}

function describe(reply: Uint8Array, payloads: readonly Payload[]): string {
  const parts = ["IKEv1"];
  if (payloads.some((payload) => payload.type === PAYLOAD_SA)) parts.push("proposal accepted");
  for (const payload of payloads) {
    // Notification: generic header (4), DOI (4), protocol (1), SPI size (1), message type (2).
    if (payload.type !== PAYLOAD_NOTIFICATION || payload.end - payload.start < 12) continue;
    const type = readUint16(reply, payload.start + 10);
    parts.push(`notify ${type}${type in NOTIFY_NAMES ? ` (${NOTIFY_NAMES[type]})` : ""}`);
  }
  const vendorIds = payloads.filter((payload) => payload.type === PAYLOAD_VENDOR_ID).length;
  if (vendorIds > 0) parts.push(`${vendorIds} vendor IDs`);
  return printable(parts.join(", "));
}
