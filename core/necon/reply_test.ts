import { assert, assertEquals } from "../testing/assert.ts";
import {
  decodeDhcp,
  type DhcpMessage,
  encodeDhcp,
  setMessageType,
  setParameterRequestList,
} from "../net/dhcp/mod.ts";
import { parseIpv4 as ip } from "../net/ipv4addr.ts";
import { compileConfig } from "./compile_config.ts";
import { DHCPACK, DHCPNAK, DHCPOFFER } from "../net/dhcp/codes.ts";
import { parseDhcpRequest } from "../net/dhcp/request.ts";
import { buildReply, replyDestination } from "./reply.ts";

const subnet = compileConfig({
  subnets: [{
    cidr: "10.9.0.0/24",
    pools: [{ start: "10.9.0.10", end: "10.9.0.20" }],
    routers: ["10.9.0.1"],
    dnsServers: ["10.9.0.53", "10.9.0.54"],
    domainName: "lab.test",
    ntpServers: ["10.9.0.123"],
    mtu: 9000,
    routes: [{ destination: "192.168.50.0/24", router: "10.9.0.254" }],
    leaseSeconds: 600,
    options: [{ code: 252, kind: "string", value: "http://10.9.0.1/wpad.dat" }],
  }],
}).subnets[0];

function discover(parameters: number[], extra: (m: DhcpMessage) => void = () => {}): Uint8Array {
  const chaddr = Uint8Array.of(2, 0, 0, 0, 0, 9);
  const message: DhcpMessage = {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0x1234,
    secs: 0,
    flags: 0,
    ciaddr: 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr,
    sname: "",
    file: "",
    options: new Map(),
  };
  setMessageType(message, 1);
  setParameterRequestList(message, parameters);
  extra(message);
  return encodeDhcp(message);
}

const arrival = { interfaceName: "eth0", serverAddress: ip("10.9.0.1") };

Deno.test("necon reply: requested options in the client's order, after type, server id and lease times", () => {
  const parsed = parseDhcpRequest(discover([121, 42, 26, 252, 15, 6, 3, 1]));
  assert(parsed.ok);
  const { request, message } = parsed.value;
  const bytes = buildReply(message, request, {
    type: DHCPOFFER,
    yiaddr: ip("10.9.0.10"),
    subnet,
    leaseSeconds: 600,
  }, arrival);
  const reply = decodeDhcp(bytes);
  assert(reply.ok);
  assertEquals([...reply.value.options.keys()], [53, 54, 51, 58, 59, 1, 3, 6, 15, 121, 42, 26, 252]);
  assertEquals(reply.value.yiaddr, ip("10.9.0.10"));
  assertEquals(reply.value.xid, 0x1234);
  assertEquals([...reply.value.options.get(51)!], [0, 0, 2, 0x58]);
  // RFC 3442: the default route rides in option 121 too, since such clients ignore option 3.
  assertEquals([...reply.value.options.get(121)!], [24, 192, 168, 50, 10, 9, 0, 254, 0, 10, 9, 0, 1]);
  assertEquals(new TextDecoder().decode(reply.value.options.get(252)), "http://10.9.0.1/wpad.dat");
  assertEquals(replyDestination(request, { type: DHCPOFFER, yiaddr: 1 }), {
    address: "255.255.255.255",
    port: 68,
  });
});

Deno.test("necon reply: relay information and client identifier are echoed; NAKs carry a reason only", () => {
  const relayInfo = Uint8Array.of(1, 4, 0x65, 0x74, 0x68, 0x31, 2, 2, 0xab, 0xcd);
  const parsed = parseDhcpRequest(discover([1, 3], (m) => {
    m.options.set(61, Uint8Array.of(1, 2, 0, 0, 0, 0, 9));
    m.options.set(82, relayInfo);
    m.giaddr = ip("10.9.0.2");
  }));
  assert(parsed.ok);
  const { request, message } = parsed.value;
  const nak = decodeDhcp(
    buildReply(message, request, { type: DHCPNAK, yiaddr: 0, subnet, message: "wrong subnet" }, arrival),
  );
  assert(nak.ok);
  assertEquals([...nak.value.options.keys()], [53, 54, 56, 61, 82]);
  assertEquals([...nak.value.options.get(82)!], [...relayInfo]);
  assertEquals(nak.value.giaddr, ip("10.9.0.2"));
  assertEquals(replyDestination(request, { type: DHCPNAK, yiaddr: 0 }), { address: "10.9.0.2", port: 67 });
  const ack = decodeDhcp(
    buildReply(
      message,
      request,
      { type: DHCPACK, yiaddr: ip("10.9.0.11"), subnet, leaseSeconds: 600 },
      arrival,
    ),
  );
  assert(ack.ok);
  assertEquals([...ack.value.options.get(61)!], [1, 2, 0, 0, 0, 0, 9]);
});

Deno.test("necon reply: a small max message size overflows options into file/sname, never truncates", () => {
  const long = (c: string) => c.repeat(150);
  const big = compileConfig({
    subnets: [{
      cidr: "10.9.0.0/24",
      pools: [{ start: "10.9.0.10", end: "10.9.0.20" }],
      options: [{ code: 252, kind: "string", value: long("a") }, {
        code: 253,
        kind: "string",
        value: long("b"),
      }],
    }],
  }).subnets[0];
  const parsed = parseDhcpRequest(discover([252, 253], (m) => m.options.set(57, Uint8Array.of(2, 64))));
  assert(parsed.ok);
  const { request, message } = parsed.value;
  const bytes = buildReply(message, request, {
    type: DHCPOFFER,
    yiaddr: ip("10.9.0.10"),
    subnet: big,
    leaseSeconds: 600,
  }, arrival);
  assert(
    bytes.length <= 576 - 28,
    `reply of ${bytes.length} bytes exceeds the client's 576-byte IP datagram`,
  );
  const reply = decodeDhcp(bytes);
  assert(reply.ok);
  assert(reply.value.options.has(52), "option overload (52) was needed and used");
  assertEquals(new TextDecoder().decode(reply.value.options.get(252)), long("a"));
  assertEquals(new TextDecoder().decode(reply.value.options.get(253)), long("b"));
});

Deno.test("necon reply: a PXE client given its boot file is told to boot it (option 43 discovery control 8)", () => {
  // EDK2's DISCOVER: class "PXEClient:Arch:00007:UNDI:003000", x64 UEFI, asking for 43 and 60 among others.
  const parsed = parseDhcpRequest(discover([1, 3, 43, 54, 60, 66, 67], (m) => {
    m.options.set(60, new TextEncoder().encode("PXEClient:Arch:00007:UNDI:003000"));
    m.options.set(93, Uint8Array.of(0, 7));
  }));
  assert(parsed.ok);
  const { request, message } = parsed.value;
  const boot = { nextServer: ip("10.9.0.1"), bootFile: "ipxe.efi", vendorClass: "PXEClient" };
  for (const type of [DHCPOFFER, DHCPACK] as const) {
    const reply = decodeDhcp(
      buildReply(
        message,
        request,
        { type, yiaddr: ip("10.9.0.10"), subnet, leaseSeconds: 600 },
        arrival,
        boot,
      ),
    );
    assert(reply.ok);
    assertEquals(new TextDecoder().decode(reply.value.options.get(60)), "PXEClient");
    // Without it EDK2 classes the offer as BINL and asks port 4011 four times before giving up.
    assertEquals([...reply.value.options.get(43)!], [6, 1, 8, 255]);
    assertEquals(new TextDecoder().decode(reply.value.options.get(67)), "ipxe.efi");
    assertEquals(reply.value.siaddr, ip("10.9.0.1"));
  }
  // UEFI HTTP boot: the class is echoed, and option 43 (PXE sub-options) is not sent.
  const http = decodeDhcp(
    buildReply(message, request, { type: DHCPOFFER, yiaddr: ip("10.9.0.10"), subnet }, arrival, {
      bootFile: "http://10.9.0.1/ipxe.efi",
      vendorClass: "HTTPClient",
    }),
  );
  assert(http.ok);
  assertEquals(new TextDecoder().decode(http.value.options.get(60)), "HTTPClient");
  assertEquals(http.value.options.has(43), false);
});

Deno.test("necon reply: a boot file URL too long for the BOOTP file field goes in option 67 alone", () => {
  const parsed = parseDhcpRequest(discover([1, 3, 54, 66, 67]));
  assert(parsed.ok);
  const { request, message } = parsed.value;
  const url = `http://10.9.0.1:8069/boot/${"x".repeat(150)}.ipxe`;
  const reply = decodeDhcp(
    buildReply(message, request, { type: DHCPOFFER, yiaddr: ip("10.9.0.10"), subnet }, arrival, {
      bootFile: url,
    }),
  );
  assert(reply.ok);
  assertEquals(new TextDecoder().decode(reply.value.options.get(67)), url);
  assertEquals(reply.value.file, "");
});
