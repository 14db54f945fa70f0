import type { UdpProbe } from "./probe.ts";
import { readHeaderMessage } from "./header_message.ts";
import { randomHex } from "./random.ts";
import { printable } from "./text.ts";

// SIP on port 5060 (RFC 3261): an OPTIONS request, which every user agent, proxy and registrar must
// answer (§11). Choices that keep the probe from causing work elsewhere:
// - The Request-URI and every host name are in .invalid (RFC 6761), which never resolves, so no server
//   looks them up successfully or routes anything there.
// - Max-Forwards 0: a proxy must not forward it, and answers itself, with 200 or 483 (§16.3 step 3).
// - Via carries rport (RFC 3581), so the response comes back to the port the probe left from, not 5060.
// The response must repeat the probe's Call-ID (§8.2.6.2), which ties it to this probe.

export const SIP_PORT = 5060;

export interface SipProbeOptions {
  /** Random tokens for the Via branch, From tag and Call-ID; random by default. */
  readonly branch?: string;
  readonly tag?: string;
  readonly callId?: string;
}

export function sipProbe(
  { branch = randomHex(8), tag = randomHex(4), callId = randomHex(12) }: SipProbeOptions = {},
): UdpProbe {
  for (const token of [branch, tag, callId]) {
    if (!/^[0-9A-Za-z.-]+$/.test(token)) {
      throw new RangeError(`SIP token ${JSON.stringify(token)} is not a token`);
    }
  }
  const request = new TextEncoder().encode(
    "OPTIONS sip:liwasc.invalid SIP/2.0\r\n" +
      `Via: SIP/2.0/UDP liwasc.invalid;branch=z9hG4bK${branch};rport\r\n` +
      "Max-Forwards: 0\r\n" +
      "To: <sip:liwasc.invalid>\r\n" +
      `From: <sip:liwasc@liwasc.invalid>;tag=${tag}\r\n` +
      `Call-ID: ${callId}\r\n` +
      "CSeq: 1 OPTIONS\r\n" +
      "Accept: application/sdp\r\n" +
      "Content-Length: 0\r\n" +
      "\r\n",
  );
  return {
    name: "sip-options",
    payload: () => request.slice(),
    recognise(reply) {
      const message = readHeaderMessage(reply);
      const status = message && /^SIP\/2\.0 ([1-6][0-9][0-9])(?: (.*))?$/.exec(message.startLine);
      if (!status) return undefined;
      // "i" is Call-ID's compact form (§7.3.3).
      const headers = message!.headers;
      if ((headers.get("call-id") ?? headers.get("i")) !== callId) return undefined;
      const product = headers.get("server") ?? headers.get("user-agent");
      const detail = `${status[1]} ${status[2] ?? ""}`.trim() + (product ? `, ${product}` : "");
      return { service: "sip", detail: printable(detail) };
    },
  };
}
