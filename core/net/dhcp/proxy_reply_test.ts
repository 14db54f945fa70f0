import { toHexString } from "../bytes.ts";
import { assert, assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { parseIpv4 } from "../ipv4addr.ts";
import { DHCPACK, DHCPOFFER } from "./codes.ts";
import { decodeDhcp, type DhcpMessage } from "./message.ts";
import { proxyDhcpReply } from "./proxy_reply.ts";
import { EDK2_DISCOVER } from "./testdata/captures.ts";

const text = (value: string) => toHexString(new TextEncoder().encode(value));
const entries = (message: DhcpMessage) =>
  [...message.options].map(([code, value]) => [code, toHexString(value)]);

function request(edit: (message: DhcpMessage) => void = () => {}): DhcpMessage {
  const decoded = decodeDhcp(EDK2_DISCOVER);
  assert(decoded.ok);
  edit(decoded.value);
  return decoded.value;
}

function reply(message: DhcpMessage, type: typeof DHCPOFFER | typeof DHCPACK, bootFile = "ipxe.efi") {
  const bytes = proxyDhcpReply(message, {
    type,
    serverAddress: parseIpv4("10.78.0.1"),
    nextServer: parseIpv4("10.78.0.2"),
    bootFile,
  });
  const decoded = decodeDhcp(bytes);
  assert(decoded.ok);
  return decoded.value;
}

Deno.test("proxy reply: the port 67 offer is BINL, without an address, and echoes the machine id", () => {
  const discover = request();
  const offer = reply(discover, DHCPOFFER);
  assertEquals(entries(offer), [
    [53, "02"],
    [54, "0a4e0001"],
    [60, text("PXEClient")],
    [67, text("ipxe.efi")],
    [97, toHexString(discover.options.get(97)!)],
  ]);
  assertEquals(
    [offer.op, offer.xid, offer.flags, offer.ciaddr, offer.yiaddr, offer.siaddr, offer.file],
    [2, discover.xid, discover.flags, 0, 0, parseIpv4("10.78.0.2"), "ipxe.efi"],
  );
  assertEquals(offer.chaddr, discover.chaddr);
});

Deno.test("proxy reply: the port 4011 ACK says 'boot it', answers the boot item and keeps ciaddr", () => {
  const asking = request((m) => {
    m.ciaddr = parseIpv4("10.78.0.50");
    m.options.set(43, Uint8Array.of(71, 4, 0, 0, 0, 0, 255));
  });
  const ack = reply(asking, DHCPACK);
  assertEquals(entries(ack).map(([code]) => code), [53, 54, 60, 43, 67, 97]);
  assertStrictEquals(toHexString(ack.options.get(43)!), "060108470400000000ff");
  assertStrictEquals(ack.ciaddr, parseIpv4("10.78.0.50"));
});

Deno.test("proxy reply: a boot file too long for the file field is in option 67 only", () => {
  const long = `http://10.78.0.1/${"x".repeat(120)}.efi`;
  const offer = reply(request(), DHCPOFFER, long);
  assertStrictEquals(offer.file, "");
  assertStrictEquals(new TextDecoder().decode(offer.options.get(67)), long);
});
