import assert from "node:assert/strict";
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
  assert.ok(result !== undefined, "option absent");
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
    assert.equal(messageTypeName(type), `DHCP${word}`, name);
  }
  assert.equal(messageTypeName(42), "DHCP message type 42");
});

Deno.test("typed: udhcpc's DISCOVER", () => {
  const message = decode(UDHCPC_DISCOVER);
  assert.deepEqual(value(typed.parameterRequestList(message)), [
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
  assert.equal(value(typed.maxMessageSize(message)), 576);
  assert.equal(value(typed.hostName(message)), "ctpf-udhcpc");
  assert.equal(value(typed.vendorClassId(message)), "ctpf-udhcpc");
  const id = value(typed.clientIdentifier(message));
  assert.equal(id.type, 1);
  assert.deepEqual(Array.from(id.data), [2, 0, 0, 0, 5, 0x0c]);
  assert.equal(typed.leaseTime(message), undefined, "absent");
  assert.equal(typed.requestedIp(message), undefined);
});

Deno.test("typed: dhclient asks in its own order, which is kept", () => {
  const message = decode(DHCLIENT_REQUEST);
  assert.deepEqual(value(typed.parameterRequestList(message)), [1, 28, 2, 3, 15, 6, 119, 12, 42, 121, 26]);
  assert.equal(value(typed.requestedIp(message)), ip("10.99.5.119"));
  assert.equal(value(typed.serverId(message)), ip("10.99.5.1"));
  assert.equal(typed.clientIdentifier(message), undefined, "dhclient sends none by default");
  assert.equal(clientKey(decode(DHCLIENT_DISCOVER)), "hw:1:02:00:00:00:05:0c");
});

Deno.test("typed: dnsmasq's OFFER, every option", () => {
  const message = decode(DNSMASQ_OFFER_TO_UDHCPC);
  assert.equal(value(typed.serverId(message)), ip("10.99.5.1"));
  assert.equal(value(typed.leaseTime(message)), 3600);
  assert.equal(value(typed.renewalTime(message)), 1800);
  assert.equal(value(typed.rebindingTime(message)), 3150);
  assert.equal(value(typed.subnetMask(message)), ip("255.255.255.0"));
  assert.equal(value(typed.broadcastAddress(message)), ip("10.99.5.255"));
  assert.deepEqual(value(typed.routers(message)), [ip("10.99.5.1")]);
  assert.deepEqual(value(typed.dnsServers(message)), [ip("10.99.5.1"), ip("10.99.5.2")]);
  assert.deepEqual(value(typed.ntpServers(message)), [ip("10.99.5.1")]);
  assert.equal(value(typed.domainName(message)), "ctpf.test");
  assert.deepEqual(value(typed.domainSearch(message)), ["ctpf.test", "lab.ctpf.test", "example.org"]);
  assert.deepEqual(value(typed.classlessStaticRoutes(message)), [
    { destination: parseCidr("10.0.0.0/8"), router: ip("10.99.5.1") },
    { destination: parseCidr("192.168.32.0/20"), router: ip("10.99.5.2") },
  ]);
  assert.deepEqual(value(typed.tftpServerAddresses(message)), [ip("10.99.5.1"), ip("10.99.5.2")]);
  // dnsmasq NUL-terminates 66 and 67; RFC 2132 says to drop trailing NULs.
  assert.equal(value(typed.tftpServerName(message)), "tftp.ctpf.test");
  assert.equal(value(typed.bootfileName(message)), "pxelinux.0");
  const vendor = unwrap(decodeEncapsulatedOptions(value(typed.vendorSpecific(message))));
  assert.deepEqual(vendor.map(({ code, data }) => [code, Array.from(data)]), [
    [1, [10, 99, 5, 1]],
    [2, [0x63, 0x74, 0x70, 0x66]],
  ]);
});

Deno.test("typed: udhcpd's search list is uncompressed, its routes a single /8", () => {
  const message = decode(UDHCPD_OFFER);
  assert.deepEqual(value(typed.domainSearch(message)), ["ctpf.test", "lab.ctpf.test"]);
  assert.deepEqual(value(typed.classlessStaticRoutes(message)), [
    { destination: parseCidr("10.0.0.0/8"), router: ip("10.99.5.1") },
  ]);
  assert.equal(value(typed.leaseTime(message)), 600);
});

Deno.test("typed: dhcpcd's DISCOVER: RFC 4361 client id and a 1472-byte maximum", () => {
  const message = decode(DHCPCD_DISCOVER);
  assert.equal(value(typed.clientIdentifier(message)).type, 255);
  assert.equal(value(typed.maxMessageSize(message)), 1472);
  assert.equal(clientKey(message), "id:ff:00:00:05:0c:00:01:00:01:32:99:8e:62:02:00:00:00:05:0c");
});

Deno.test("typed: DECLINE names the address; the ACK to an INFORM has no lease", () => {
  const decline = decode(UDHCPC_DECLINE);
  assert.equal(value(typed.requestedIp(decline)), ip("10.99.5.222"));
  assert.equal(value(typed.serverId(decline)), ip("10.99.5.1"));
  const ack = decode(DNSMASQ_ACK_TO_INFORM);
  assert.equal(typed.leaseTime(ack), undefined);
  assert.equal(ack.yiaddr, 0);
  assert.equal(value(typed.hostName(ack)), "ctpf-dhcpcd");
});

Deno.test("typed: the PXE clients (iPXE ROM, EDK2)", () => {
  const ipxe = decode(IPXE_DISCOVER);
  assert.deepEqual(value(typed.clientSystemArchitectures(ipxe)), [0]);
  assert.deepEqual(value(typed.clientNetworkInterfaceId(ipxe)), { type: 1, major: 2, minor: 1 });
  assert.equal(value(typed.vendorClassId(ipxe)), "PXEClient:Arch:00000:UNDI:002001");
  assert.deepEqual(value(typed.userClass(ipxe)), { classes: ["iPXE"], format: "plain" });
  assert.deepEqual(value(typed.clientMachineId(ipxe)), {
    type: 0,
    uuid: "00000000-0000-0000-0000-000000000000",
  });
  assert.equal(ipxe.options.get(175)!.length, 48, "iPXE's encapsulated options");
  assert.deepEqual(value(typed.clientIdentifier(ipxe)), macClientIdentifier(0x52540000080c));

  const edk2 = decode(EDK2_DISCOVER);
  assert.deepEqual(value(typed.clientSystemArchitectures(edk2)), [7]);
  assert.deepEqual(value(typed.clientNetworkInterfaceId(edk2)), { type: 1, major: 3, minor: 0 });
  assert.equal(value(typed.vendorClassId(edk2)), "PXEClient:Arch:00007:UNDI:003000");
  assert.equal(value(typed.parameterRequestList(edk2)).length, 35);
  assert.equal(value(typed.maxMessageSize(decode(EDK2_REQUEST))), 65280);
});

Deno.test("typed: relay agent information from dhcrelay", () => {
  const list = value(typed.relayAgentInformation(decode(RELAYED_DISCOVER)));
  assert.equal(list.length, 1);
  assert.equal(new TextDecoder().decode(findSubOption(list, RELAY_AGENT_CIRCUIT_ID)), "vRc");
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
    assert.ok(result !== undefined && !result.ok, reason);
    assert.equal(result.error.message, reason);
    assert.equal(okValue(result), undefined);
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
  assert.deepEqual([...reply.options.keys()].slice(0, 3), [53, 54, 51], "in the order set");
  const decoded = decode(encodeDhcp(reply));
  assert.equal(value(typed.messageType(decoded)), DHCPACK);
  assert.equal(value(typed.leaseTime(decoded)), 0xffff_ffff);
  assert.equal(value(typed.timeOffset(decoded)), -3600);
  assert.equal(value(typed.interfaceMtu(decoded)), 1400);
  assert.deepEqual(value(typed.dnsServers(decoded)), [ip("10.99.5.1"), ip("1.1.1.1")]);
  assert.deepEqual(value(typed.domainSearch(decoded)), ["ctpf.test", "lab.ctpf.test"]);
  assert.deepEqual(value(typed.classlessStaticRoutes(decoded)), [
    { destination: parseCidr("0.0.0.0/0"), router: ip("10.99.5.1") },
  ]);
  assert.equal(value(typed.serverMessage(decoded)), "all good");
  assert.deepEqual(value(typed.userClass(decoded)), { classes: ["a", "bc"], format: "rfc3004" });
  assert.equal(value(typed.clientMachineId(decoded)).uuid, "01234567-89ab-cdef-0123-456789abcdef");
  assert.deepEqual(value(typed.clientSystemArchitectures(decoded)), [7, 11]);
  assert.deepEqual(decoded, reply);
});

Deno.test("typed: setters throw RangeError for values that cannot be encoded", () => {
  const message = decode(DHCLIENT_DISCOVER);
  assert.throws(() => typed.setRouters(message, []), RangeError);
  assert.throws(() => typed.setLeaseTime(message, -1), RangeError);
  assert.throws(() => typed.setMessageType(message, 256), RangeError);
  assert.throws(() => typed.setTimeOffset(message, 2 ** 31), RangeError);
  assert.throws(() => typed.setParameterRequestList(message, [1, 300]), RangeError);
  assert.throws(() => typed.setClientSystemArchitectures(message, [70000]), RangeError);
  assert.throws(() => typed.setServerId(message, -1), RangeError);
});
