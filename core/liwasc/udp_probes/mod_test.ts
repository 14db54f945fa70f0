import { toHexString } from "../../net/bytes.ts";
import {
  assert,
  assertEquals,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../../testing/assert.ts";
import { PROBED_PORTS, probeFor } from "./mod.ts";
import { neverThrowing } from "./guard.ts";

const NAMES: Record<number, string> = {
  53: "dns-version-bind",
  69: "tftp-rrq",
  111: "rpcbind-null",
  123: "ntp-client",
  137: "netbios-nbstat",
  161: "snmp-v2c-sysdescr",
  500: "ike-main-mode",
  1900: "ssdp-msearch-all",
  5060: "sip-options",
  5353: "mdns-dns-sd-services",
  11211: "memcached-stats",
};

Deno.test("mod: each well-known port gets its protocol's probe", () => {
  assertEquals(PROBED_PORTS, Object.keys(NAMES).map(Number));
  for (const port of PROBED_PORTS) {
    const probe = probeFor(port);
    assertStrictEquals(probe.name, NAMES[port]);
    assert(probe.payload().length > 0, `${port} sends something`);
  }
  assertStrictEquals(probeFor(67).name, "empty", "no DHCP probe");
});

Deno.test("mod: other ports get an empty datagram, and any reply is taken", () => {
  const probe = probeFor(7);
  assertStrictEquals(probe.name, "empty");
  assertEquals(probe.payload(), new Uint8Array(0));
  assertEquals(probe.recognise(new Uint8Array(0)), { service: "unknown", detail: "0-byte reply" });
  assertEquals(probe.recognise(new Uint8Array(9)), { service: "unknown", detail: "9-byte reply" });
});

Deno.test("mod: ports outside 1-65535 are a RangeError", () => {
  for (const port of [0, -1, 65536, 1.5, NaN, Infinity]) {
    assertThrows(() => probeFor(port), RangeError, `${port}`);
  }
  assertStrictEquals(probeFor(65535).name, "empty");
});

Deno.test("mod: each call draws new random IDs; one probe repeats its bytes", () => {
  for (const port of [69, 123, 161, 500, 5060]) {
    const probe = probeFor(port);
    assertStrictEquals(
      toHexString(probe.payload()),
      toHexString(probe.payload()),
      `${port} retransmits the same bytes`,
    );
    assertNotStrictEquals(
      toHexString(probe.payload()),
      toHexString(probeFor(port).payload()),
      `${port} probes differ`,
    );
  }
});

Deno.test("mod: no probe takes its own payload, reflected by an echo service, as a reply", () => {
  for (const port of PROBED_PORTS) {
    const probe = probeFor(port);
    assertStrictEquals(probe.recognise(probe.payload()), undefined, `${port}`);
  }
});

Deno.test("mod: a recogniser that throws is turned into undefined", () => {
  const probe = neverThrowing({
    name: "broken",
    payload: () => Uint8Array.of(1),
    recognise: () => {
      throw new Error("bug");
    },
  });
  assertStrictEquals(probe.recognise(new Uint8Array(1)), undefined);
  assertStrictEquals(probe.name, "broken");
  assertEquals(probe.payload(), Uint8Array.of(1));
});
