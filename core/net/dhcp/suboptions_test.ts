import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeDhcp, encodeDhcp } from "./message.ts";
import { decodeSubOptions, encodeSubOptions } from "./suboptions.ts";
import {
  decodeRelayAgentInformation,
  encodeRelayAgentInformation,
  findSubOption,
  RELAY_AGENT_CIRCUIT_ID,
  RELAY_AGENT_REMOTE_ID,
} from "./relay_agent.ts";
import { decodeEncapsulatedOptions, encodeEncapsulatedOptions, PXE_DISCOVERY_CONTROL } from "./vendor.ts";
import { DNSMASQ_OFFER_TO_RELAY, hex, RELAYED_DISCOVER } from "./testdata/captures.ts";

Deno.test("relay agent: a server can echo dhcrelay's option 82 byte for byte", () => {
  const request = unwrap(decodeDhcp(RELAYED_DISCOVER));
  const reply = unwrap(decodeDhcp(DNSMASQ_OFFER_TO_RELAY));
  reply.options.delete(82);
  reply.options.set(82, request.options.get(82)!);
  assertEquals(encodeDhcp(reply), DNSMASQ_OFFER_TO_RELAY);
});

Deno.test("relay agent: sub-options in order, repeats kept, code 0 and 255 are ordinary codes", () => {
  const bytes = hex("0103765263" + "020602000000070c" + "0000" + "ff0101" + "010178");
  const list = unwrap(decodeRelayAgentInformation(bytes));
  assertEquals(list.map((item) => item.code), [1, 2, 0, 255, 1]);
  assertStrictEquals(new TextDecoder().decode(findSubOption(list, RELAY_AGENT_CIRCUIT_ID)), "vRc");
  assertEquals(findSubOption(list, RELAY_AGENT_REMOTE_ID), hex("02000000070c"));
  assertStrictEquals(findSubOption(list, 9), undefined);
  assertEquals(encodeRelayAgentInformation(list), bytes);
  const cut = decodeRelayAgentInformation(hex("0103765263" + "02"));
  assertStrictEquals(
    cut.ok ? "" : cut.error.message,
    "dhcp relay agent information: sub-option 2 at offset 5 has no length byte",
  );
});

Deno.test("vendor-specific: dnsmasq's option 43 and PXE-style PAD and END", () => {
  assertEquals(
    unwrap(decodeEncapsulatedOptions(hex("01040a630501020463747066"))).map((
      { code, data },
    ) => [code, data.length]),
    [[1, 4], [2, 4]],
  );
  const pxe = hex("060108" + "00" + "ff" + "0a0b");
  assertEquals(unwrap(decodeEncapsulatedOptions(pxe)), [{
    code: PXE_DISCOVERY_CONTROL,
    data: hex("08"),
  }]);
  assertEquals(encodeEncapsulatedOptions([{ code: 6, data: hex("08") }]), hex("060108ff"));
  const bad = decodeSubOptions(hex("0605"), { layer: "test", padAndEnd: true });
  assertStrictEquals(
    bad.ok ? "" : bad.error.message,
    "test: sub-option 6 at offset 0 has length 5, only 0 bytes follow",
  );
  assertThrows(() => encodeSubOptions([{ code: 1, data: new Uint8Array(256) }]), RangeError);
  assertThrows(() => encodeSubOptions([{ code: 300, data: new Uint8Array(1) }]), RangeError);
});
