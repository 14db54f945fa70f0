import type { UdpProbe } from "./probe.ts";

// Ports without a protocol probe get an empty datagram. Many services ignore it, and the scan then
// reports open|filtered, but whatever does answer is a service on an open port, so any reply is taken,
// with nothing claimed about what it is.

const EMPTY = new Uint8Array(0);

export function genericProbe(): UdpProbe {
  return {
    name: "empty",
    payload: () => EMPTY.slice(),
    recognise: (reply) => ({ service: "unknown", detail: `${reply.length}-byte reply` }),
  };
}
