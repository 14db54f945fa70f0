import type { Recognition, UdpProbe } from "./probe.ts";

// The recognisers are written not to throw, and fuzzed for it (fuzz_test.ts). This is the last line
// anyway: a throw would unwind the scan's receive loop on one hostile datagram, while a missed
// recognition only costs a service name.

export function neverThrowing(probe: UdpProbe): UdpProbe {
  return {
    name: probe.name,
    answersFromNewPort: probe.answersFromNewPort,
    payload: () => probe.payload(),
    recognise(reply: Uint8Array): Recognition | undefined {
      try {
        return probe.recognise(reply);
      } catch {
        return undefined;
      }
    },
  };
}
