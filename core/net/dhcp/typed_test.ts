import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { type Decoded, unwrap } from "../errors.ts";
import { parseCidr, parseIpv4 } from "../ipv4addr.ts";
import { decodeDhcp, type DhcpMessage, encodeDhcp } from "./message.ts";
import {
  DHCPACK,
  DHCPDECLINE,
  DHCPDISCOVER,
  DHCPINFORM,
  DHCPOFFER,
  DHCPRELEASE,
  DHCPREQUEST,
  messageTypeName,
} from "./codes.ts";
import * as typed from "./typed.ts";
import { okValue } from "./values.ts";
import { decodeEncapsulatedOptions } from "./vendor.ts";
import { findSubOption, RELAY_AGENT_CIRCUIT_ID } from "./relay_agent.ts";
import { clientKey, macClientIdentifier } from "./client_id.ts";
import {
  ALL_MESSAGES,
  DHCLIENT_DISCOVER,
  DHCLIENT_REQUEST,
  DHCPCD_DISCOVER,
  DNSMASQ_ACK_TO_INFORM,
  DNSMASQ_OFFER_TO_UDHCPC,
  EDK2_DISCOVER,
  EDK2_REQUEST,
  IPXE_DISCOVER,
  RELAYED_DISCOVER,
  UDHCPC_DECLINE,
  UDHCPC_DISCOVER,
  UDHCPD_OFFER,
} from "./testdata/captures.ts";

const ip = parseIpv4;
const decode = (bytes: Uint8Array) => unwrap(decodeDhcp(bytes));

function value<T>(result: Decoded<T> | undefined): T {
  assert(result !== undefined, "option absent");
  return unwrap(result);
}

Deno.test("typed: every capture's message type matches its name", () => {
  const expected: [string, number][] = [
    ["DISCOVER", DHCPDISCOVER],
    ["OFFER", DHCPOFFER],
    ["REQUEST", DHCPREQUEST],
    ["DECLINE", DHCPDECLINE],
    ["ACK", DHCPACK],
    ["RELEASE", DHCPRELEASE],
    ["INFORM", DHCPINFORM],
  ];
  for (const [name, bytes] of Object.entries(ALL_MESSAGES)) {
    const type = value(typed.messageType(decode(bytes)));
    const [word] = expected.find(([word]) => name.includes(`_${word}`) || name.startsWith(word))!;
    assertStrictEquals(messageTypeName(type), `DHCP${word}`, name);
  }
  assertStrictEquals(messageTypeName(42), "DHCP message type 42");
});

Deno.test("typed: udhcpc's DISCOVER", () => {
  const message = decode(UDHCPC_DISCOVER);
  assertEquals(value(typed.parameterRequestList(message)), [
    1,
    3,
    6,
    12,
    15,
    28,
    42,
    43,
    66,
    67,
    119,
    121,
    150,
  ]);
  assertStrictEquals(value(typed.maxMessageSize(message)), 576);
  assertStrictEquals(value(typed.hostName(message)), "ctpf-udhcpc");
  assertStrictEquals(value(typed.vendorClassId(message)), "ctpf-udhcpc");
  const id = value(typed.clientIdentifier(message));
  assertStrictEquals(id.type, 1);
  assertEquals(Array.from(id.data), [2, 0, 0, 0, 5, 0x0c]);
  assertStrictEquals(typed.leaseTime(message), undefined, "absent");
  assertStrictEquals(typed.requestedIp(message), undefined);
});

Deno.test("typed: dhclient asks in its own order, which is kept", () => {
  const message = decode(DHCLIENT_REQUEST);
  assertEquals(value(typed.parameterRequestList(message)), [1, 28, 2, 3, 15, 6, 119, 12, 42, 121, 26]);
  assertStrictEquals(value(typed.requestedIp(message)), ip("10.99.5.119"));
  assertStrictEquals(value(typed.serverId(message)), ip("10.99.5.1"));
  assertStrictEquals(typed.clientIdentifier(message), undefined, "dhclient sends none by default");
  assertStrictEquals(clientKey(decode(DHCLIENT_DISCOVER)), "hw:1:02:00:00:00:05:0c");
});

Deno.test("typed: dnsmasq's OFFER, every option", () => {
  const message = decode(DNSMASQ_OFFER_TO_UDHCPC);
  assertStrictEquals(value(typed.serverId(message)), ip("10.99.5.1"));
  assertStrictEquals(value(typed.leaseTime(message)), 3600);
  assertStrictEquals(value(typed.renewalTime(message)), 1800);
  assertStrictEquals(value(typed.rebindingTime(message)), 3150);
  assertStrictEquals(value(typed.subnetMask(message)), ip("255.255.255.0"));
  assertStrictEquals(value(typed.broadcastAddress(message)), ip("10.99.5.255"));
  assertEquals(value(typed.routers(message)), [ip("10.99.5.1")]);
  assertEquals(value(typed.dnsServers(message)), [ip("10.99.5.1"), ip("10.99.5.2")]);
  assertEquals(value(typed.ntpServers(message)), [ip("10.99.5.1")]);
  assertStrictEquals(value(typed.domainName(message)), "ctpf.test");
  assertEquals(value(typed.domainSearch(message)), ["ctpf.test", "lab.ctpf.test", "example.org"]);
  assertEquals(value(typed.classlessStaticRoutes(message)), [
    { destination: parseCidr("10.0.0.0/8"), router: ip("10.99.5.1") },
    { destination: parseCidr("192.168.32.0/20"), router: ip("10.99.5.2") },
  ]);
  assertEquals(value(typed.tftpServerAddresses(message)), [ip("10.99.5.1"), ip("10.99.5.2")]);
  // dnsmasq NUL-terminates 66 and 67; RFC 2132 says to drop trailing NULs.
  assertStrictEquals(value(typed.tftpServerName(message)), "tftp.ctpf.test");
  assertStrictEquals(value(typed.bootfileName(message)), "pxelinux.0");
  const vendor = unwrap(decodeEncapsulatedOptions(value(typed.vendorSpecific(message))));
  assertEquals(vendor.map(({ code, data }) => [code, Array.from(data)]), [
    [1, [10, 99, 5, 1]],
    [2, [0x63, 0x74, 0x70, 0x66]],
  ]);
});

Deno.test("typed: udhcpd's search list is uncompressed, its routes a single /8", () => {
  const message = decode(UDHCPD_OFFER);
  assertEquals(value(typed.domainSearch(message)), ["ctpf.test", "lab.ctpf.test"]);
  assertEquals(value(typed.classlessStaticRoutes(message)), [
    { destination: parseCidr("10.0.0.0/8"), router: ip("10.99.5.1") },
  ]);
  assertStrictEquals(value(typed.leaseTime(message)), 600);
});

Deno.test("typed: dhcpcd's DISCOVER: RFC 4361 client id and a 1472-byte maximum", () => {
  const message = decode(DHCPCD_DISCOVER);
  assertStrictEquals(value(typed.clientIdentifier(message)).type, 255);
  assertStrictEquals(value(typed.maxMessageSize(message)), 1472);
  assertStrictEquals(clientKey(message), "id:ff:00:00:05:0c:00:01:00:01:32:99:8e:62:02:00:00:00:05:0c");
});

Deno.test("typed: DECLINE names the address; the ACK to an INFORM has no lease", () => {
  const decline = decode(UDHCPC_DECLINE);
  assertStrictEquals(value(typed.requestedIp(decline)), ip("10.99.5.222"));
  assertStrictEquals(value(typed.serverId(decline)), ip("10.99.5.1"));
  const ack = decode(DNSMASQ_ACK_TO_INFORM);
  assertStrictEquals(typed.leaseTime(ack), undefined);
  assertStrictEquals(ack.yiaddr, 0);
  assertStrictEquals(value(typed.hostName(ack)), "ctpf-dhcpcd");
});

Deno.test("typed: the PXE clients (iPXE ROM, EDK2)", () => {
  const ipxe = decode(IPXE_DISCOVER);
  assertEquals(value(typed.clientSystemArchitectures(ipxe)), [0]);
  assertEquals(value(typed.clientNetworkInterfaceId(ipxe)), { type: 1, major: 2, minor: 1 });
  assertStrictEquals(value(typed.vendorClassId(ipxe)), "PXEClient:Arch:00000:UNDI:002001");
  assertEquals(value(typed.userClass(ipxe)), { classes: ["iPXE"], format: "plain" });
  assertEquals(value(typed.clientMachineId(ipxe)), {
    type: 0,
    uuid: "00000000-0000-0000-0000-000000000000",
  });
  assertStrictEquals(ipxe.options.get(175)!.length, 48, "iPXE's encapsulated options");
  assertEquals(value(typed.clientIdentifier(ipxe)), macClientIdentifier(0x52540000080c));

  const edk2 = decode(EDK2_DISCOVER);
  assertEquals(value(typed.clientSystemArchitectures(edk2)), [7]);
  assertEquals(value(typed.clientNetworkInterfaceId(edk2)), { type: 1, major: 3, minor: 0 });
  assertStrictEquals(value(typed.vendorClassId(edk2)), "PXEClient:Arch:00007:UNDI:003000");
  assertStrictEquals(value(typed.parameterRequestList(edk2)).length, 35);
  assertStrictEquals(value(typed.maxMessageSize(decode(EDK2_REQUEST))), 65280);
});

Deno.test("typed: relay agent information from dhcrelay", () => {
  const list = value(typed.relayAgentInformation(decode(RELAYED_DISCOVER)));
  assertStrictEquals(list.length, 1);
  assertStrictEquals(new TextDecoder().decode(findSubOption(list, RELAY_AGENT_CIRCUIT_ID)), "vRc");
});

function withOptions(entries: [number, string][]): DhcpMessage {
  const message = decode(DHCLIENT_DISCOVER);
  for (const [code, hexValue] of entries) {
    message.options.set(
      code,
      Uint8Array.from(hexValue.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16)),
    );
  }
  return message;
}

Deno.test("typed: malformed options are DecodeErrors naming the option; the message still decodes", () => {
  const message = withOptions([
    [1, "ffffff"],
    [3, "0a0000010a00"],
    [53, ""],
    [51, "0102"],
    [61, "01"],
    [93, "00"],
    [97, "01" + "00".repeat(16)],
    [121, "21000000000000"],
    [119, "03616263c000"],
    [77, ""],
    [82, "0105ab"],
    [94, "0102"],
  ]);
  const reasons: [Decoded<unknown> | undefined, string][] = [
    [typed.subnetMask(message), "dhcp option 1: length 3, an IPv4 address takes 4 bytes"],
    [typed.routers(message), "dhcp option 3: length 6 is not a positive multiple of 4 (IPv4 addresses)"],
    [typed.messageType(message), "dhcp option 53: length 0, an 8-bit integer takes 1 byte"],
    [typed.leaseTime(message), "dhcp option 51: length 2, a 32-bit integer takes 4 bytes"],
    [typed.clientIdentifier(message), "dhcp option 61: length 1, at least 2 expected (type and data)"],
    [
      typed.clientSystemArchitectures(message),
      "dhcp option 93: length 1 is not a positive multiple of 2 (16-bit integers)",
    ],
    [typed.clientMachineId(message), "dhcp option 97: type 1 is not 0 (GUID)"],
    [
      typed.classlessStaticRoutes(message),
      "dhcp option 121: route at offset 0 has prefix width 33, above 32",
    ],
    [
      typed.domainSearch(message),
      "dhcp option 119: compression pointer at offset 4 to 0 does not point backwards (loop)",
    ],
    [typed.userClass(message), "dhcp option 77: length 0, at least one class expected"],
    [
      typed.relayAgentInformation(message),
      "dhcp option 82: sub-option 1 at offset 0 has length 5, only 1 bytes follow",
    ],
    [typed.clientNetworkInterfaceId(message), "dhcp option 94: length 2, expected 3"],
  ];
  for (const [result, reason] of reasons) {
    assert(result !== undefined && !result.ok, reason);
    assertStrictEquals(result.error.message, reason);
    assertStrictEquals(okValue(result), undefined);
  }
});

Deno.test("typed: setters build a reply that decodes to the same values", () => {
  const reply = decode(DNSMASQ_OFFER_TO_UDHCPC);
  reply.options = new Map();
  typed.setMessageType(reply, DHCPACK);
  typed.setServerId(reply, ip("10.99.5.1"));
  typed.setLeaseTime(reply, 0xffff_ffff);
  typed.setRenewalTime(reply, 1800);
  typed.setRebindingTime(reply, 3150);
  typed.setSubnetMask(reply, ip("255.255.255.0"));
  typed.setRouters(reply, [ip("10.99.5.1")]);
  typed.setDnsServers(reply, [ip("10.99.5.1"), ip("1.1.1.1")]);
  typed.setDomainName(reply, "ctpf.test");
  typed.setDomainSearch(reply, ["ctpf.test", "lab.ctpf.test"]);
  typed.setClasslessStaticRoutes(reply, [{ destination: parseCidr("0.0.0.0/0"), router: ip("10.99.5.1") }]);
  typed.setTftpServerAddresses(reply, [ip("10.99.5.1")]);
  typed.setTftpServerName(reply, "tftp.ctpf.test");
  typed.setBootfileName(reply, "ipxe.efi");
  typed.setTimeOffset(reply, -3600);
  typed.setInterfaceMtu(reply, 1400);
  typed.setServerMessage(reply, "all good");
  typed.setClientIdentifier(reply, macClientIdentifier(0x02000000050c));
  typed.setUserClass(reply, { classes: ["a", "bc"], format: "rfc3004" });
  typed.setClientMachineId(reply, { type: 0, uuid: "01234567-89ab-cdef-0123-456789abcdef" });
  typed.setClientSystemArchitectures(reply, [7, 11]);
  assertEquals([...reply.options.keys()].slice(0, 3), [53, 54, 51], "in the order set");
  const decoded = decode(encodeDhcp(reply));
  assertStrictEquals(value(typed.messageType(decoded)), DHCPACK);
  assertStrictEquals(value(typed.leaseTime(decoded)), 0xffff_ffff);
  assertStrictEquals(value(typed.timeOffset(decoded)), -3600);
  assertStrictEquals(value(typed.interfaceMtu(decoded)), 1400);
  assertEquals(value(typed.dnsServers(decoded)), [ip("10.99.5.1"), ip("1.1.1.1")]);
  assertEquals(value(typed.domainSearch(decoded)), ["ctpf.test", "lab.ctpf.test"]);
  assertEquals(value(typed.classlessStaticRoutes(decoded)), [
    { destination: parseCidr("0.0.0.0/0"), router: ip("10.99.5.1") },
  ]);
  assertStrictEquals(value(typed.serverMessage(decoded)), "all good");
  assertEquals(value(typed.userClass(decoded)), { classes: ["a", "bc"], format: "rfc3004" });
  assertStrictEquals(value(typed.clientMachineId(decoded)).uuid, "01234567-89ab-cdef-0123-456789abcdef");
  assertEquals(value(typed.clientSystemArchitectures(decoded)), [7, 11]);
  assertEquals(decoded, reply);
});

Deno.test("typed: setters throw RangeError for values that cannot be encoded", () => {
  const message = decode(DHCLIENT_DISCOVER);
  assertThrows(() => typed.setRouters(message, []), RangeError);
  assertThrows(() => typed.setLeaseTime(message, -1), RangeError);
  assertThrows(() => typed.setMessageType(message, 256), RangeError);
  assertThrows(() => typed.setTimeOffset(message, 2 ** 31), RangeError);
  assertThrows(() => typed.setParameterRequestList(message, [1, 300]), RangeError);
  assertThrows(() => typed.setClientSystemArchitectures(message, [70000]), RangeError);
  assertThrows(() => typed.setServerId(message, -1), RangeError);
});
