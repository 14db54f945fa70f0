import type { UdpProbe } from "./probe.ts";
import { randomBytes } from "./random.ts";

// NTP on port 123 (RFC 5905): a client request (mode 3), 48 bytes with every field zero but the first
// byte (LI 0, VN 4, mode 3: 0x23, as RFC 4330 §5 has SNTP clients send) and the transmit timestamp. That
// timestamp is random, not the clock: the server copies it into the reply's origin timestamp (RFC 5905
// §8), which makes it a nonce tying the reply to this probe, and it does not tell the server our time.

export const NTP_PORT = 123;
const PACKET_LENGTH = 48;
const MODE_CLIENT = 3;
const MODE_SERVER = 4;
const VERSION = 4;
const ORIGIN_OFFSET = 24;
const TRANSMIT_OFFSET = 40;
const UNSYNCHRONISED = 16;

export interface NtpProbeOptions {
  /** The 8 transmit timestamp bytes; random by default. */
  readonly nonce?: Uint8Array;
}

export function ntpProbe({ nonce = randomBytes(8) }: NtpProbeOptions = {}): UdpProbe {
  if (nonce.length !== 8) throw new RangeError(`NTP nonce must be 8 bytes, got ${nonce.length}`);
  const request = new Uint8Array(PACKET_LENGTH);
  request[0] = (VERSION << 3) | MODE_CLIENT;
  request.set(nonce, TRANSMIT_OFFSET);
  return {
    name: "ntp-client",
    payload: () => request.slice(),
    recognise(reply) {
      // Extension fields and MACs may follow the 48 bytes; nothing here needs them.
      if (reply.length < PACKET_LENGTH) return undefined;
      const version = (reply[0] >>> 3) & 7;
      if ((reply[0] & 7) !== MODE_SERVER || version < 1 || version > 4) return undefined;
      for (let i = 0; i < 8; i++) if (reply[ORIGIN_OFFSET + i] !== nonce[i]) return undefined;
      return { service: "ntp", detail: `NTPv${version} ${describeStratum(reply)}` };
    },
  };
}

/** Stratum with what the reference ID means at that stratum (RFC 5905 §7.3). */
function describeStratum(reply: Uint8Array): string {
  const stratum = reply[1];
  const refid = reply.subarray(12, 16);
  const ascii = String.fromCharCode(...refid).replace(/\0+$/, "");
  const leapAlarm = reply[0] >>> 6 === 3;
  // Stratum 0 is a kiss-o'-death: the reference ID is an ASCII code such as RATE, DENY or INIT.
  if (stratum === 0) return /^[A-Z0-9]{1,4}$/.test(ascii) ? `stratum 0, kiss code ${ascii}` : "stratum 0";
  if (stratum >= UNSYNCHRONISED) return `stratum ${stratum} (unsynchronised)`;
  const source = stratum === 1
    ? (/^[\x21-\x7e]{1,4}$/.test(ascii) ? ascii : "?")
    : Array.from(refid).join(".");
  return `stratum ${stratum}, refid ${source}${leapAlarm ? " (unsynchronised)" : ""}`;
}
