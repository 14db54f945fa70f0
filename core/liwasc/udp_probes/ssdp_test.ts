import { assert, assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { ssdpProbe } from "./ssdp.ts";
import { ascii } from "./testdata/bytes.ts";
import { SSDP_ROOT_DEVICE } from "./testdata/replies.ts";
import { assertPrefixesRefused } from "./testdata/checks.ts";

const probe = ssdpProbe();

Deno.test("ssdp: M-SEARCH for ssdp:all with the headers of UDA 1.1 §1.3.2", () => {
  assertStrictEquals(
    new TextDecoder().decode(probe.payload()),
    'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n',
  );
});

Deno.test("ssdp: a search response gives SERVER and LOCATION", () => {
  assertEquals(probe.recognise(SSDP_ROOT_DEVICE), {
    service: "ssdp",
    detail: "server Linux/5.4 UPnP/1.1 MiniUPnPd/2.3.3; location http://192.168.1.1:5000/rootDesc.xml",
  });
});

Deno.test("ssdp: header names in any case, HTTP/1.0, and a response with only USN", () => {
  const minimal = ascii("HTTP/1.0 200 OK\r\nusn: uuid:x::upnp:rootdevice\r\n\r\n");
  assertEquals(probe.recognise(minimal), { service: "ssdp", detail: "answered" });
  const hostile = ascii(`HTTP/1.1 200 OK\r\nST: a\r\nServer: \x1b]0;pwned\x07${"A".repeat(500)}\r\n\r\n`);
  const detail = probe.recognise(hostile)?.detail ?? "";
  assert(detail.startsWith("server ?]0;pwned?AAAA") && detail.length === 200, detail);
});

Deno.test("ssdp: what is not a search response is refused", () => {
  const refused = [
    "HTTP/1.1 404 Not Found\r\nST: a\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nUSN: uuid:x\r\n\r\n",
    "HTTP/2 200\r\nST: a\r\n\r\n",
    "HTTP/1.1 2000 OK\r\nST: a\r\n\r\n",
    "SIP/2.0 200 OK\r\nST: a\r\n\r\n",
  ];
  for (const text of refused) {
    assertStrictEquals(probe.recognise(ascii(text)), undefined, JSON.stringify(text));
  }
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the search reflected");
  assertPrefixesRefused(probe, SSDP_ROOT_DEVICE);
});
