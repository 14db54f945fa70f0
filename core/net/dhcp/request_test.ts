import { assert, assertEquals, assertMatch, assertStrictEquals } from "../../testing/assert.ts";
import { parseMac } from "../mac.ts";
import { parseIpv4 } from "../ipv4addr.ts";
import { DHCPDISCOVER, DHCPREQUEST } from "./codes.ts";
import { decodeDhcp, encodeDhcp } from "./message.ts";
import { parseDhcpRequest } from "./request.ts";
import { EDK2_DISCOVER, EDK2_REQUEST, IPXE_DISCOVER, UDHCPC_DISCOVER } from "./testdata/captures.ts";

function failure(bytes: Uint8Array): string {
  const parsed = parseDhcpRequest(bytes);
  assert(!parsed.ok);
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
  assert(result.ok);
  return result.value;
}

Deno.test("dhcp request: udhcpc's DISCOVER is lifted field by field", () => {
  const parsed = parseDhcpRequest(UDHCPC_DISCOVER);
  assert(parsed.ok);
  const { request, message } = parsed.value;
  assertStrictEquals(message.xid, 0x9b5cb329);
  assertEquals(request, {
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
  assert(discover.ok);
  assertMatch(discover.value.request.vendorClass ?? "", /^PXEClient:Arch:00007:UNDI:003000/);
  assertEquals(discover.value.request.architectures, [7]);
  assertStrictEquals(discover.value.request.uuid, "00000000-0000-0000-0000-000000000000");
  const request = parseDhcpRequest(EDK2_REQUEST);
  assert(request.ok);
  assertStrictEquals(request.value.request.type, DHCPREQUEST);
  assertStrictEquals(request.value.request.maxMessageSize, 65280);
  const ipxe = parseDhcpRequest(IPXE_DISCOVER);
  assert(ipxe.ok);
  assertStrictEquals(ipxe.value.request.userClass, "iPXE");
  assertEquals(ipxe.value.request.architectures, [0]);
});

Deno.test("dhcp request: only Ethernet BOOTREQUESTs with a message type are served", () => {
  assertStrictEquals(
    failure(edited(UDHCPC_DISCOVER, (m) => m.op = 2)),
    "dhcp request: op 2 is not BOOTREQUEST",
  );
  assertStrictEquals(
    failure(edited(UDHCPC_DISCOVER, (m) => m.htype = 6)),
    "dhcp request: hardware type 6/6 is not Ethernet",
  );
  assertStrictEquals(
    failure(edited(UDHCPC_DISCOVER, (m) => m.options.delete(53))),
    "dhcp request: no DHCP message type (option 53): BOOTP is not served",
  );
  assertMatch(failure(edited(UDHCPC_DISCOVER, (m) => m.options.set(53, Uint8Array.of()))), /option 53/);
});

Deno.test("dhcp request: a malformed optional option counts as absent, a tiny maximum size as 576", () => {
  const parsed = parseDhcpRequest(edited(UDHCPC_DISCOVER, (m) => {
    m.options.set(50, Uint8Array.of(10, 0)); // a requested address of two bytes
    m.options.set(57, Uint8Array.of(1, 0)); // 256: below the minimum every client must accept
    m.options.set(61, Uint8Array.of(1)); // a client identifier needs a type and at least one byte
    m.giaddr = parseIpv4("10.0.0.1");
  }));
  assert(parsed.ok);
  assertStrictEquals(parsed.value.request.requestedIp, undefined);
  assertStrictEquals(parsed.value.request.maxMessageSize, 576);
  assertStrictEquals(parsed.value.request.clientIdHex, undefined);
  assertStrictEquals(parsed.value.request.giaddr, parseIpv4("10.0.0.1"));
});
