import { requireUint, writeUint16, writeUint32 } from "../../net/bytes.ts";

// The first message of an IKEv1 Main Mode exchange (RFC 2409 §5, payloads of RFC 2408 §3): the ISAKMP
// header and one SA payload offering one proposal with a few common transforms, the offer ike-scan makes.
// Pre-shared key authentication is what most VPN gateways are set up for; a gateway that likes none of
// the transforms still answers, with a NO-PROPOSAL-CHOSEN notification.

export const ISAKMP_HEADER_LENGTH = 28;
export const PAYLOAD_SA = 1;
const PAYLOAD_NONE = 0;
const PAYLOAD_TRANSFORM = 3;
const VERSION_1_0 = 0x10;
export const EXCHANGE_MAIN_MODE = 2;
const DOI_IPSEC = 1;
const SITUATION_IDENTITY_ONLY = 1;
const PROTOCOL_ISAKMP = 1;
const TRANSFORM_KEY_IKE = 1;

// Attribute types and values of RFC 2409 Appendix A; AES-CBC (7) and SHA2-256 (4) from IANA's registry.
const ATTR_ENCRYPTION = 1;
const ATTR_HASH = 2;
const ATTR_AUTH = 3;
const ATTR_GROUP = 4;
const ATTR_LIFE_TYPE = 11;
const ATTR_LIFE_DURATION = 12;
const ATTR_KEY_LENGTH = 14;
const ENC_3DES = 5;
const ENC_AES = 7;
const HASH_MD5 = 1;
const HASH_SHA1 = 2;
const HASH_SHA256 = 4;
const AUTH_PRE_SHARED_KEY = 1;
const GROUP_MODP_1024 = 2;
const GROUP_MODP_2048 = 14;
const LIFE_SECONDS = 1;
const LIFETIME_SECONDS = 28800;

interface TransformInit {
  readonly encryption: number;
  readonly keyLength?: number;
  readonly hash: number;
  readonly group: number;
}

const TRANSFORMS: readonly TransformInit[] = [
  { encryption: ENC_AES, keyLength: 128, hash: HASH_SHA256, group: GROUP_MODP_2048 },
  { encryption: ENC_AES, keyLength: 128, hash: HASH_SHA1, group: GROUP_MODP_1024 },
  { encryption: ENC_3DES, hash: HASH_SHA1, group: GROUP_MODP_1024 },
  { encryption: ENC_3DES, hash: HASH_MD5, group: GROUP_MODP_1024 },
];

/** A basic (TV) attribute: the AF bit set, a 16-bit value (RFC 2408 §3.3). */
function basic(type: number, value: number): number[] {
  return [0x80, type, value >>> 8, value & 0xff];
}

function transform(number: number, init: TransformInit, last: boolean): number[] {
  const attributes = [
    ...basic(ATTR_ENCRYPTION, init.encryption),
    ...(init.keyLength === undefined ? [] : basic(ATTR_KEY_LENGTH, init.keyLength)),
    ...basic(ATTR_HASH, init.hash),
    ...basic(ATTR_AUTH, AUTH_PRE_SHARED_KEY),
    ...basic(ATTR_GROUP, init.group),
    ...basic(ATTR_LIFE_TYPE, LIFE_SECONDS),
    // Life Duration is a variable-length attribute (RFC 2409 Appendix A), so the long (TLV) form.
    0x00,
    ATTR_LIFE_DURATION,
    0x00,
    0x04,
    ...[
      LIFETIME_SECONDS >>> 24,
      (LIFETIME_SECONDS >>> 16) & 0xff,
      (LIFETIME_SECONDS >>> 8) & 0xff,
      LIFETIME_SECONDS & 0xff,
    ],
  ];
  const length = 8 + attributes.length;
  return [
    last ? PAYLOAD_NONE : PAYLOAD_TRANSFORM,
    0,
    length >>> 8,
    length & 0xff,
    number,
    TRANSFORM_KEY_IKE,
    0,
    0,
    ...attributes,
  ];
}

/** The whole datagram for an 8-byte initiator cookie. */
export function encodeMainModeRequest(initiatorCookie: Uint8Array): Uint8Array {
  if (initiatorCookie.length !== 8) {
    throw new RangeError(`IKE cookie must be 8 bytes, got ${initiatorCookie.length}`);
  }
  const transforms = TRANSFORMS.flatMap((init, i) => transform(i + 1, init, i === TRANSFORMS.length - 1));
  const proposalLength = 8 + transforms.length;
  const proposal = [
    PAYLOAD_NONE,
    0,
    proposalLength >>> 8,
    proposalLength & 0xff,
    1,
    PROTOCOL_ISAKMP,
    0,
    TRANSFORMS.length,
  ];
  const saLength = 12 + proposalLength;
  const bytes = new Uint8Array(ISAKMP_HEADER_LENGTH + saLength);
  requireUint("IKE message length", bytes.length, 0xffff);
  bytes.set(initiatorCookie, 0);
  // Bytes 8-15, the responder cookie, stay 0 until the responder picks one.
  bytes.set([PAYLOAD_SA, VERSION_1_0, EXCHANGE_MAIN_MODE, 0], 16);
  writeUint32(bytes, 20, 0);
  writeUint32(bytes, 24, bytes.length);
  const sa = ISAKMP_HEADER_LENGTH;
  bytes.set([PAYLOAD_NONE, 0], sa);
  writeUint16(bytes, sa + 2, saLength);
  writeUint32(bytes, sa + 4, DOI_IPSEC);
  writeUint32(bytes, sa + 8, SITUATION_IDENTITY_ONLY);
  bytes.set([...proposal, ...transforms], sa + 12);
  return bytes;
}
