import {
  assertEquals,
  assertMatch,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../../testing/assert.ts";
import { sipProbe } from "./sip.ts";
import { ascii } from "./testdata/bytes.ts";
import { SIP_OPTIONS_OK, SIP_TOO_MANY_HOPS_COMPACT } from "./testdata/replies.ts";
import { assertPrefixesRefused } from "./testdata/checks.ts";

const probe = sipProbe({ branch: "b1", tag: "t1", callId: "c1" });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("sip: OPTIONS with the mandatory headers of RFC 3261 §8.1.1, all names in .invalid", () => {
  assertStrictEquals(
    text(probe.payload()),
    "OPTIONS sip:liwasc.invalid SIP/2.0\r\n" +
      "Via: SIP/2.0/UDP liwasc.invalid;branch=z9hG4bKb1;rport\r\n" +
      "Max-Forwards: 0\r\n" +
      "To: <sip:liwasc.invalid>\r\n" +
      "From: <sip:liwasc@liwasc.invalid>;tag=t1\r\n" +
      "Call-ID: c1\r\n" +
      "CSeq: 1 OPTIONS\r\n" +
      "Accept: application/sdp\r\n" +
      "Content-Length: 0\r\n" +
      "\r\n",
  );
});

Deno.test("sip: random tokens are fresh per probe; odd tokens are refused", () => {
  assertNotStrictEquals(text(sipProbe().payload()), text(sipProbe().payload()));
  assertMatch(
    text(sipProbe().payload()),
    /branch=z9hG4bK[0-9a-f]{16};rport\r\n[^]*Call-ID: [0-9a-f]{24}\r\n/,
  );
  assertThrows(() => sipProbe({ callId: "a\r\nX: y" }), RangeError);
});

Deno.test("sip: a 200 names the server; a compact 483 from a proxy counts too", () => {
  assertEquals(probe.recognise(SIP_OPTIONS_OK), {
    service: "sip",
    detail: "200 OK, Asterisk PBX 18.10.0",
  });
  assertEquals(probe.recognise(SIP_TOO_MANY_HOPS_COMPACT), {
    service: "sip",
    detail: "483 Too Many Hops",
  });
  const userAgent = ascii("SIP/2.0 404 Not Found\r\nCall-ID: c1\r\nUser-Agent: Grandstream GXP2170\r\n\r\n");
  assertEquals(probe.recognise(userAgent), {
    service: "sip",
    detail: "404 Not Found, Grandstream GXP2170",
  });
  const noReason = ascii("SIP/2.0 200\r\ni: c1\r\n\r\n");
  assertEquals(probe.recognise(noReason), { service: "sip", detail: "200" });
});

Deno.test("sip: responses to other requests, requests and broken messages are refused", () => {
  const refused = [
    "SIP/2.0 200 OK\r\nCall-ID: c2\r\n\r\n",
    "SIP/2.0 200 OK\r\nCall-ID: C1\r\n\r\n",
    "SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n",
    "SIP/2.0 700 Nope\r\nCall-ID: c1\r\n\r\n",
    "SIP/2.0 20 OK\r\nCall-ID: c1\r\n\r\n",
    "SIP/3.0 200 OK\r\nCall-ID: c1\r\n\r\n",
    "OPTIONS sip:x SIP/2.0\r\nCall-ID: c1\r\n\r\n",
    "HTTP/1.1 200 OK\r\nCall-ID: c1\r\n\r\n",
  ];
  for (const message of refused) {
    assertStrictEquals(probe.recognise(ascii(message)), undefined, JSON.stringify(message));
  }
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the request reflected");
  assertPrefixesRefused(probe, SIP_OPTIONS_OK);
  assertPrefixesRefused(probe, SIP_TOO_MANY_HOPS_COMPACT);
});
