import assert from "node:assert/strict";
import { parseMac } from "../mac.ts";
import { parseIpv4 } from "../ipv4addr.ts";
import { DHCPDISCOVER, DHCPREQUEST } from "./codes.ts";
import { decodeDhcp, encodeDhcp } from "./message.ts";
import { parseDhcpRequest } from "./request.ts";
import { EDK2_DISCOVER, EDK2_REQUEST, IPXE_DISCOVER, UDHCPC_DISCOVER } from "./testdata/captures.ts";

function failure(bytes: Uint8Array): string {
  const parsed = parseDhcpRequest(bytes);
  assert.ok(!parsed.ok);
  return parsed.error.message;
}

/** The captured message with its header or options changed, encoded again. */
function edited(bytes: Uint8Array, edit: (message: ReturnType<typeof decoded>) => void): Uint8Array {
  const message = decoded(bytes);
  edit(message);
  return encodeDhcp(message);
}

function decoded(bytes: Uint8Array) {
  const result = decodeDhcp(bytes);
  assert.ok(result.ok);
  return result.value;
}

Deno.test("dhcp request: udhcpc's DISCOVER is lifted field by field", () => {
  const parsed = parseDhcpRequest(UDHCPC_DISCOVER);
  assert.ok(parsed.ok);
  const { request, message } = parsed.value;
  assert.equal(message.xid, 0x9b5cb329);
  assert.deepEqual(request, {
    type: DHCPDISCOVER,
    xid: 0x9b5cb329,
    flags: 0,
    ciaddr: 0,
    giaddr: 0,
    hops: 0,
    mac: parseMac("02:00:00:00:05:0c"),
    clientIdHex: "0102000000050c",
    requestedIp: undefined,
    serverId: undefined,
    parameterList: [1, 3, 6, 12, 15, 28, 42, 43, 66, 67, 119, 121, 150],
    maxMessageSize: 576,
    hostname: "ctpf-udhcpc",
    vendorClass: "ctpf-udhcpc",
    userClass: undefined,
    architectures: [],
    uuid: undefined,
    relayAgentInfo: undefined,
  });
});

Deno.test("dhcp request: PXE clients' class, architecture, machine id and maximum size", () => {
  const discover = parseDhcpRequest(EDK2_DISCOVER);
  assert.ok(discover.ok);
  assert.match(discover.value.request.vendorClass ?? "", /^PXEClient:Arch:00007:UNDI:003000/);
  assert.deepEqual(discover.value.request.architectures, [7]);
  assert.equal(discover.value.request.uuid, "00000000-0000-0000-0000-000000000000");
  const request = parseDhcpRequest(EDK2_REQUEST);
  assert.ok(request.ok);
  assert.equal(request.value.request.type, DHCPREQUEST);
  assert.equal(request.value.request.maxMessageSize, 65280);
  const ipxe = parseDhcpRequest(IPXE_DISCOVER);
  assert.ok(ipxe.ok);
  assert.equal(ipxe.value.request.userClass, "iPXE");
  assert.deepEqual(ipxe.value.request.architectures, [0]);
});

Deno.test("dhcp request: only Ethernet BOOTREQUESTs with a message type are served", () => {
  assert.equal(failure(edited(UDHCPC_DISCOVER, (m) => m.op = 2)), "dhcp request: op 2 is not BOOTREQUEST");
  assert.equal(
    failure(edited(UDHCPC_DISCOVER, (m) => m.htype = 6)),
    "dhcp request: hardware type 6/6 is not Ethernet",
  );
  assert.equal(
    failure(edited(UDHCPC_DISCOVER, (m) => m.options.delete(53))),
    "dhcp request: no DHCP message type (option 53): BOOTP is not served",
  );
  assert.match(failure(edited(UDHCPC_DISCOVER, (m) => m.options.set(53, Uint8Array.of()))), /option 53/);
});

Deno.test("dhcp request: a malformed optional option counts as absent, a tiny maximum size as 576", () => {
  const parsed = parseDhcpRequest(edited(UDHCPC_DISCOVER, (m) => {
    m.options.set(50, Uint8Array.of(10, 0)); // a requested address of two bytes
    m.options.set(57, Uint8Array.of(1, 0)); // 256: below the minimum every client must accept
    m.options.set(61, Uint8Array.of(1)); // a client identifier needs a type and at least one byte
    m.giaddr = parseIpv4("10.0.0.1");
  }));
  assert.ok(parsed.ok);
  assert.equal(parsed.value.request.requestedIp, undefined);
  assert.equal(parsed.value.request.maxMessageSize, 576);
  assert.equal(parsed.value.request.clientIdHex, undefined);
  assert.equal(parsed.value.request.giaddr, parseIpv4("10.0.0.1"));
});
