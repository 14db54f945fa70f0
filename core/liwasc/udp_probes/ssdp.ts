import type { UdpProbe } from "./probe.ts";
import { readHeaderMessage } from "./header_message.ts";
import { printable } from "./text.ts";

// SSDP on port 1900 (UPnP Device Architecture 1.1 §1.3): an M-SEARCH for ssdp:all, answered by every
// root device, embedded device and service with an HTTP/1.1 200 carrying ST, USN and LOCATION. UDA 1.1
// wants a unicast search's HOST to name the target, but a payload is built without one, so HOST keeps
// the multicast group as in a multicast search; the stacks that answer unicast searches (MiniUPnPd, libupnp,
// GUPnP, Windows) do not check it. MX 1 caps the random delay a device may take before answering.

export const SSDP_PORT = 1900;

const REQUEST = new TextEncoder().encode(
  "M-SEARCH * HTTP/1.1\r\n" +
    "HOST: 239.255.255.250:1900\r\n" +
    'MAN: "ssdp:discover"\r\n' +
    "MX: 1\r\n" +
    "ST: ssdp:all\r\n" +
    "\r\n",
);

export function ssdpProbe(): UdpProbe {
  return {
    name: "ssdp-msearch-all",
    payload: () => REQUEST.slice(),
    recognise(reply) {
      const message = readHeaderMessage(reply);
      if (message === undefined || !/^HTTP\/1\.[01] 200\b/.test(message.startLine)) return undefined;
      const { headers } = message;
      if (!headers.has("st") && !headers.has("usn") && !headers.has("location")) return undefined;
      const parts = [];
      const server = headers.get("server");
      if (server) parts.push(`server ${server}`);
      const location = headers.get("location");
      if (location) parts.push(`location ${location}`);
      return { service: "ssdp", detail: parts.length > 0 ? printable(parts.join("; ")) : "answered" };
    },
  };
}
