import { toHexString } from "../../net/bytes.ts";
import assert from "node:assert/strict";
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
  assert.deepEqual(PROBED_PORTS, Object.keys(NAMES).map(Number));
  for (const port of PROBED_PORTS) {
    const probe = probeFor(port);
    assert.equal(probe.name, NAMES[port]);
    assert.ok(probe.payload().length > 0, `${port} sends something`);
  }
  assert.equal(probeFor(67).name, "empty", "no DHCP probe");
});

Deno.test("mod: other ports get an empty datagram, and any reply is taken", () => {
  const probe = probeFor(7);
  assert.equal(probe.name, "empty");
  assert.deepEqual(probe.payload(), new Uint8Array(0));
  assert.deepEqual(probe.recognise(new Uint8Array(0)), { service: "unknown", detail: "0-byte reply" });
  assert.deepEqual(probe.recognise(new Uint8Array(9)), { service: "unknown", detail: "9-byte reply" });
});

Deno.test("mod: ports outside 1-65535 are a RangeError", () => {
  for (const port of [0, -1, 65536, 1.5, NaN, Infinity]) {
    assert.throws(() => probeFor(port), RangeError, `${port}`);
  }
  assert.equal(probeFor(65535).name, "empty");
});

Deno.test("mod: each call draws new random IDs; one probe repeats its bytes", () => {
  for (const port of [69, 123, 161, 500, 5060]) {
    const probe = probeFor(port);
    assert.equal(
      toHexString(probe.payload()),
      toHexString(probe.payload()),
      `${port} retransmits the same bytes`,
    );
    assert.notEqual(
      toHexString(probe.payload()),
      toHexString(probeFor(port).payload()),
      `${port} probes differ`,
    );
  }
});

Deno.test("mod: no probe takes its own payload, reflected by an echo service, as a reply", () => {
  for (const port of PROBED_PORTS) {
    const probe = probeFor(port);
    assert.equal(probe.recognise(probe.payload()), undefined, `${port}`);
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
  assert.equal(probe.recognise(new Uint8Array(1)), undefined);
  assert.equal(probe.name, "broken");
  assert.deepEqual(probe.payload(), Uint8Array.of(1));
});
