import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { parseIpv4 } from "../ipv4addr.ts";
import { decodeDhcp, type DhcpMessage, encodeDhcp } from "./message.ts";
import { BOOTREPLY, BOOTREQUEST, DHCP_FLAG_BROADCAST, HTYPE_ETHERNET } from "./codes.ts";
import {
  ALL_MESSAGES,
  DHCLIENT_DISCOVER,
  DHCPCD_RELEASE,
  DNSMASQ_ACK_OVERLOAD,
  DNSMASQ_OFFER_OVERLOAD,
  DNSMASQ_OFFER_TO_RELAY,
  DNSMASQ_OFFER_TO_UDHCPC,
  EDK2_DISCOVER,
  hex,
  RELAYED_DISCOVER,
  UDHCPC_DISCOVER,
  UDHCPD_OFFER,
} from "./testdata/captures.ts";

const ip = parseIpv4;
const text = new TextDecoder();

function header(message: DhcpMessage) {
  const { options: _options, ...fields } = message;
  return { ...fields, chaddr: Array.from(fields.chaddr) };
}

function failure(bytes: Uint8Array): string {
  const result = decodeDhcp(bytes);
  assertStrictEquals(result.ok, false, "expected a DecodeError");
  return result.ok ? "" : result.error.message;
}

const CLIENT_MAC = [0x02, 0, 0, 0, 0x05, 0x0c];

Deno.test("dhcp: udhcpc DISCOVER, every header field and the option order", () => {
  const message = unwrap(decodeDhcp(UDHCPC_DISCOVER));
  assertEquals(header(message), {
    op: BOOTREQUEST,
    htype: HTYPE_ETHERNET,
    hlen: 6,
    hops: 0,
    xid: 0x9b5cb329,
    secs: 0,
    flags: 0,
    ciaddr: 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr: CLIENT_MAC,
    sname: "",
    file: "",
  });
  assertEquals([...message.options.keys()], [53, 57, 55, 12, 60, 61]);
  assertEquals(Array.from(message.options.get(53)!), [1]);
  assertStrictEquals(text.decode(message.options.get(12)), "ctpf-udhcpc");
  assertStrictEquals(message.chaddr.buffer, UDHCPC_DISCOVER.buffer, "chaddr is a view");
  assertStrictEquals(message.options.get(61)!.buffer, UDHCPC_DISCOVER.buffer, "option values are views");
});

Deno.test("dhcp: dnsmasq OFFER header and its 17 options in dnsmasq's order", () => {
  const message = unwrap(decodeDhcp(DNSMASQ_OFFER_TO_UDHCPC));
  assertEquals(header(message), {
    op: BOOTREPLY,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0x9b5cb329,
    secs: 0,
    flags: 0,
    ciaddr: 0,
    yiaddr: ip("10.99.5.119"),
    siaddr: ip("10.99.5.1"),
    giaddr: 0,
    chaddr: CLIENT_MAC,
    sname: "",
    file: "",
  });
  assertEquals(
    [...message.options.keys()],
    [53, 54, 51, 58, 59, 1, 28, 43, 150, 67, 66, 121, 119, 42, 15, 6, 3],
  );
});

Deno.test("dhcp: udhcpd fills the BOOTP sname and file fields", () => {
  const message = unwrap(decodeDhcp(UDHCPD_OFFER));
  assertStrictEquals(message.sname, "ctpf-boot");
  assertStrictEquals(message.file, "/boot/ctpf.efi");
  assertStrictEquals(message.yiaddr, ip("10.99.5.180"));
  assertStrictEquals(message.siaddr, ip("10.99.5.1"));
  assertEquals([...message.options.keys()], [53, 54, 51, 1, 3, 6, 15, 119, 121]);
});

Deno.test("dhcp: relayed DISCOVER has hops 1, giaddr and option 82 last; dnsmasq echoes 82", () => {
  const relayed = unwrap(decodeDhcp(RELAYED_DISCOVER));
  assertStrictEquals(relayed.hops, 1);
  assertStrictEquals(relayed.giaddr, ip("10.99.7.1"));
  assertEquals([...relayed.options.keys()], [53, 57, 55, 12, 60, 61, 82]);
  const offer = unwrap(decodeDhcp(DNSMASQ_OFFER_TO_RELAY));
  assertStrictEquals(offer.giaddr, ip("10.99.7.1"));
  assertStrictEquals(offer.siaddr, ip("10.99.6.1"));
  assertEquals(offer.options.get(82), relayed.options.get(82));
  assertEquals(Array.from(offer.options.get(82)!), [1, 3, 0x76, 0x52, 0x63]); // circuit id "vRc"
});

Deno.test("dhcp: EDK2 sets the broadcast flag; RELEASE carries ciaddr", () => {
  assertStrictEquals(unwrap(decodeDhcp(EDK2_DISCOVER)).flags, DHCP_FLAG_BROADCAST);
  const release = unwrap(decodeDhcp(DHCPCD_RELEASE));
  assertStrictEquals(release.ciaddr, ip("10.99.5.180"));
  assertEquals([...release.options.keys()], [53, 54, 61]);
});

Deno.test("dhcp: dnsmasq's overload (option 52 = 2): sname holds only END, file keeps the boot file", () => {
  for (const bytes of [DNSMASQ_OFFER_OVERLOAD, DNSMASQ_ACK_OVERLOAD]) {
    const message = unwrap(decodeDhcp(bytes));
    assertEquals(Array.from(message.options.get(52)!), [2]);
    assertStrictEquals(message.sname, "");
    assertStrictEquals(message.file, "/boot/ctpf/a-long-boot-file-name-that-moves-to-option-67.efi");
    assertStrictEquals(message.options.has(119), false, "dnsmasq dropped the search list that did not fit");
  }
});

Deno.test("dhcp: every capture re-encodes to the same bytes (dnsmasq's overload to the same values)", () => {
  for (const [name, bytes] of Object.entries(ALL_MESSAGES)) {
    const message = unwrap(decodeDhcp(bytes));
    const encoded = encodeDhcp(message);
    if (message.options.has(52)) {
      // These options fit 576 bytes without overload, so the bytes differ; the values must agree.
      const again = unwrap(decodeDhcp(encoded));
      message.options.delete(52);
      assertEquals(again, message, name);
    } else {
      assertEquals(encoded, bytes, name);
    }
  }
});

Deno.test("dhcp: encoder pads to 300 bytes and writes every header field", () => {
  const message: DhcpMessage = {
    op: BOOTREPLY,
    htype: 1,
    hlen: 6,
    hops: 3,
    xid: 0xdeadbeef,
    secs: 0x1234,
    flags: DHCP_FLAG_BROADCAST,
    ciaddr: ip("192.0.2.1"),
    yiaddr: ip("192.0.2.2"),
    siaddr: ip("192.0.2.3"),
    giaddr: ip("192.0.2.4"),
    chaddr: Uint8Array.of(1, 2, 3, 4, 5, 6),
    sname: "boot-server",
    file: "ipxe.efi",
    options: new Map([[53, Uint8Array.of(2)]]),
  };
  const bytes = encodeDhcp(message);
  assertStrictEquals(bytes.length, 300);
  assertEquals(
    bytes.subarray(0, 34),
    hex("02010603deadbeef12348000c0000201c0000202c0000203c0000204010203040506"),
  );
  assertEquals(bytes.subarray(236, 244), hex("63825363350102ff"));
  assert(bytes.subarray(244).every((byte) => byte === 0));
  assertEquals(unwrap(decodeDhcp(bytes)), message);
});

Deno.test("dhcp: structural damage is a DecodeError with an exact reason", () => {
  assertStrictEquals(
    failure(DHCLIENT_DISCOVER.subarray(0, 239)),
    "dhcp: 239 bytes captured, a message needs at least 240 (BOOTP header and magic cookie)",
  );
  const noCookie = DHCLIENT_DISCOVER.slice();
  noCookie[236] = 0;
  assertStrictEquals(
    failure(noCookie),
    "dhcp: magic cookie 0x00825363 is not 0x63825363 (plain BOOTP, not DHCP)",
  );
  const longHlen = DHCLIENT_DISCOVER.slice();
  longHlen[2] = 17;
  assertStrictEquals(failure(longHlen), "dhcp: hlen 17 exceeds the 16-byte chaddr field");
  // DHCLIENT_DISCOVER's options: 35 01 01, 0c 0d "ctpf-dhclient" at byte 243, ...
  const pastEnd = DHCLIENT_DISCOVER.slice();
  pastEnd[244] = 250;
  assertStrictEquals(
    failure(pastEnd),
    "dhcp: option 12 at byte 243 (options field) has length 250, only 55 bytes follow",
  );
  assertStrictEquals(
    failure(DHCLIENT_DISCOVER.subarray(0, 244)),
    "dhcp: option 12 at byte 243 (options field) has no length byte",
  );
});

Deno.test("dhcp: header and cookie alone decode with no options; bytes after END are ignored", () => {
  const bare = DHCLIENT_DISCOVER.slice(0, 240);
  assertStrictEquals(unwrap(decodeDhcp(bare)).options.size, 0);
  const trailing = new Uint8Array(DHCLIENT_DISCOVER.length + 20);
  trailing.set(DHCLIENT_DISCOVER);
  trailing.fill(0xee, DHCLIENT_DISCOVER.length);
  assertEquals(unwrap(decodeDhcp(trailing)).options, unwrap(decodeDhcp(DHCLIENT_DISCOVER)).options);
});

Deno.test("dhcp: encoder rejects impossible header values", () => {
  const base = unwrap(decodeDhcp(DHCLIENT_DISCOVER));
  const bad: [Partial<DhcpMessage>, RegExp][] = [
    [{ op: 256 }, /op/],
    [{ xid: -1 }, /xid/],
    [{ secs: 65536 }, /secs/],
    [{ hlen: 17 }, /hlen/],
    [{ hlen: 5 }, /chaddr has 6 bytes, hlen says 5/],
    [{ yiaddr: 2 ** 32 }, /IPv4/],
    [{ sname: "x".repeat(65) }, /sname holds at most 64 bytes/],
    [{ file: "a\0b" }, /NUL/],
    [{ options: new Map([[0, new Uint8Array(1)]]) }, /option code/],
    [{ options: new Map([[255, new Uint8Array(1)]]) }, /option code/],
  ];
  for (const [change, pattern] of bad) {
    assertThrows(() => encodeDhcp({ ...base, ...change }), pattern, JSON.stringify(Object.keys(change)));
  }
  assertThrows(() => encodeDhcp(base, { maxSize: 70000 }), /maximum message size/);
});
