import { assertEquals, assertMatch, assertStrictEquals } from "../../testing/assert.ts";
import { tftpProbe } from "./tftp.ts";
import { ascii, concat, hex } from "./testdata/bytes.ts";
import { DNSMASQ_TFTP_DATA, DNSMASQ_TFTP_NOT_FOUND } from "./testdata/captures.ts";

const probe = tftpProbe({ filename: "liwasc-0123456789abcdef" });

Deno.test("tftp: RRQ, octet mode, no options (RFC 1350 §5)", () => {
  assertEquals(probe.payload(), concat(hex("0001"), ascii("liwasc-0123456789abcdef\0octet\0")));
  const random = tftpProbe().payload();
  assertEquals(random.subarray(0, 2), hex("0001"));
  assertMatch(new TextDecoder().decode(random.subarray(2, -7)), /^liwasc-[0-9a-f]{16}$/);
  assertEquals(random.subarray(-7), ascii("\0octet\0"));
});

Deno.test("tftp: dnsmasq's ERROR and DATA replies", () => {
  assertEquals(probe.recognise(DNSMASQ_TFTP_NOT_FOUND), {
    service: "tftp",
    detail: "error 1: file /tmp/lw/tftproot/liwasc-0123456789abcdef not found for 127.0.0.1",
  });
  assertEquals(probe.recognise(DNSMASQ_TFTP_DATA), {
    service: "tftp",
    detail: "the file exists: DATA block 1 of 6 bytes",
  });
});

Deno.test("tftp: an ERROR without its NUL, or cut short, is still one; an empty DATA block too", () => {
  assertStrictEquals(
    probe.recognise(DNSMASQ_TFTP_NOT_FOUND.subarray(0, 20))?.detail,
    "error 1: file /tmp/lw/tft",
  );
  assertStrictEquals(probe.recognise(hex("0005 0002"))?.detail, "error 2:");
  assertStrictEquals(probe.recognise(hex("0003 0001"))?.detail, "the file exists: DATA block 1 of 0 bytes");
  const hostile = concat(hex("0005 0000"), ascii("\x1b[31m"), new Uint8Array(300).fill(0x42));
  assertStrictEquals(probe.recognise(hostile)?.detail, `error 0: ?[31m${"B".repeat(183)}...`);
});

Deno.test("tftp: other packets and broken ones are refused", () => {
  const refused: [string, string][] = [
    ["DATA block 2", "0003 0002 41"],
    ["DATA block 0", "0003 0000 41"],
    ["ACK", "0004 0001"],
    ["OACK, which only answers options", "0006 626c6b73697a6500 35313200"],
    ["unknown opcode", "0009 0001"],
    ["ERROR cut before its code", "0005 00"],
    ["DATA cut before its block", "0003 00"],
    ["nothing", ""],
  ];
  for (const [what, bytes] of refused) assertStrictEquals(probe.recognise(hex(bytes)), undefined, what);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the request reflected");
});
