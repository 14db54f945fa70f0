import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import {
  decodeOptionValue,
  encodeOptionValue,
  formatOptionValue,
  isOptionKind,
  OPTION_KINDS,
  type OptionKind,
  OptionValueSyntaxError,
} from "./kinds.ts";
import { hex } from "./testdata/captures.ts";

Deno.test("kinds: each kind's text encodes to the expected bytes and formats back to the same text", () => {
  const cases: [OptionKind, string, string][] = [
    ["ipv4", "10.99.5.1", "0a630501"],
    ["ipv4-list", "10.99.5.1, 10.99.5.2", "0a6305010a630502"],
    ["u8", "255", "ff"],
    ["u16", "1500", "05dc"],
    ["u32", "4294967295", "ffffffff"],
    ["i32", "-3600", "fffff1f0"],
    ["i32", "7200", "00001c20"],
    ["bool", "true", "01"],
    ["bool", "false", "00"],
    ["string", "pxelinux.0", "7078656c696e75782e30"],
    ["string", "", ""],
    ["hex", "01:0a:ff", "010aff"],
    ["hex", "", ""],
    ["routes", "10.0.0.0/8 via 10.99.5.1, 192.168.32.0/20 via 10.99.5.2", "080a0a63050114c0a8200a630502"],
    ["routes", "0.0.0.0/0 via 10.99.5.1", "000a630501"],
    [
      "domains",
      "ctpf.test, lab.ctpf.test, example.org",
      "0463747066047465737400036c6162c000076578616d706c65036f726700",
    ],
    ["u16-list", "0, 7, 9", "000000070009"],
  ];
  for (const [kind, text, bytes] of cases) {
    assertEquals(encodeOptionValue(kind, text), hex(bytes), `${kind} ${text}`);
    assertStrictEquals(formatOptionValue(kind, hex(bytes)), text, `${kind} ${bytes}`);
  }
});

Deno.test("kinds: lenient spacing and hex spellings, one canonical output", () => {
  assertEquals(encodeOptionValue("ipv4-list", "10.0.0.1,10.0.0.2"), hex("0a0000010a000002"));
  assertEquals(encodeOptionValue("hex", "01 0a FF"), hex("010aff"));
  assertEquals(encodeOptionValue("hex", "010aff"), hex("010aff"));
  assertEquals(encodeOptionValue("hex", "01-0a-ff"), hex("010aff"));
  assertEquals(encodeOptionValue("u16-list", " 7 ,9 "), hex("00070009"));
  assertEquals(encodeOptionValue("domains", "ctpf.test."), hex("0463747066047465737400"));
  assertStrictEquals(formatOptionValue("domains", hex("0463747066047465737400")), "ctpf.test");
});

Deno.test("kinds: strict parsing with errors that name the option, kind and text", () => {
  const cases: [OptionKind, string, string][] = [
    ["ipv4-list", "10.0.0.1, 10.0.0.300", 'option 150 (ipv4-list): "10.0.0.300" is not an IPv4 address'],
    [
      "ipv4-list",
      "10.0.0.1,",
      'option 150 (ipv4-list): "10.0.0.1," is not a comma-separated list of IPv4 addresses',
    ],
    ["ipv4-list", "", 'option 150 (ipv4-list): "" is not a comma-separated list of IPv4 addresses'],
    ["ipv4", "010.0.0.1", 'option 150 (ipv4): "010.0.0.1" is not an IPv4 address'],
    ["u8", "256", "option 150 (u8): 256 is outside 0..255"],
    ["u8", "-1", 'option 150 (u8): "-1" is not a decimal integer (digits only, no leading zeros)'],
    ["u16", "0x10", 'option 150 (u16): "0x10" is not a decimal integer (digits only, no leading zeros)'],
    ["u32", "4294967296", "option 150 (u32): 4294967296 is outside 0..4294967295"],
    ["u32", "1.5", 'option 150 (u32): "1.5" is not a decimal integer (digits only, no leading zeros)'],
    ["i32", "-2147483649", "option 150 (i32): -2147483649 is outside -2147483648..2147483647"],
    ["i32", "-0", 'option 150 (i32): "-0" is not a decimal integer'],
    ["bool", "yes", 'option 150 (bool): "yes" is neither "true" nor "false"'],
    ["hex", "0g", 'option 150 (hex): "0g" is not hex bytes (like "01:0a:ff", "01 0a ff" or "010aff")'],
    ["hex", "abc", 'option 150 (hex): "abc" is not hex bytes (like "01:0a:ff", "01 0a ff" or "010aff")'],
    [
      "hex",
      "01:0203",
      'option 150 (hex): "01:0203" is not hex bytes (like "01:0a:ff", "01 0a ff" or "010aff")',
    ],
    [
      "routes",
      "10.0.0.0/8",
      'option 150 (routes): "10.0.0.0/8" is not a route like "10.0.0.0/8 via 10.99.5.1"',
    ],
    [
      "routes",
      "10.0.0.1/8 via 10.0.0.1",
      'option 150 (routes): "10.0.0.1/8" has host bits set (the network is 10.0.0.0)',
    ],
    [
      "routes",
      "10.0.0.0/33 via 10.0.0.1",
      'option 150 (routes): "10.0.0.0/33" is not a destination like "10.0.0.0/8"',
    ],
    ["routes", "10.0.0.0/8 via 10.0.0", 'option 150 (routes): "10.0.0" is not an IPv4 address'],
    ["domains", "ctpf..test", 'option 150 (domains): "ctpf..test" is not a domain name'],
    ["domains", "a b", 'option 150 (domains): "a b" is not a domain name'],
    ["u16-list", "1, 70000", "option 150 (u16-list): 70000 is outside 0..65535"],
  ];
  for (const [kind, text, message] of cases) {
    let caught: unknown;
    try {
      encodeOptionValue(kind, text, 150);
    } catch (error) {
      caught = error;
    }
    assert(caught instanceof OptionValueSyntaxError, `${kind} ${JSON.stringify(text)} did not throw`);
    assert(caught instanceof TypeError);
    assertStrictEquals(caught.message, message);
    assertStrictEquals(caught.kind, kind);
    assertStrictEquals(caught.input, text);
  }
  assertThrows(
    () => encodeOptionValue("u8", "x"),
    /^OptionValueSyntaxError: u8: "x" is not a decimal integer/,
  );
  assertThrows(() => encodeOptionValue("domains", "a".repeat(64)), /longer than 63 bytes/);
});

Deno.test("kinds: bytes that do not fit a kind format as hex, and decodeOptionValue says why", () => {
  assertStrictEquals(formatOptionValue("ipv4", hex("0a0000")), "0a:00:00");
  assertStrictEquals(formatOptionValue("bool", hex("02")), "02");
  assertStrictEquals(formatOptionValue("routes", hex("21")), "21");
  const result = decodeOptionValue("ipv4-list", hex("0a0000"));
  assertStrictEquals(
    result.ok ? "" : result.error.message,
    "dhcp option value (ipv4-list): length 3 is not a positive multiple of 4 (IPv4 addresses)",
  );
  assertEquals(encodeOptionValue("hex", formatOptionValue("ipv4", hex("0a0000"))), hex("0a0000"));
});

Deno.test("kinds: the list of kinds", () => {
  assertStrictEquals(OPTION_KINDS.length, 12);
  assert(OPTION_KINDS.every(isOptionKind));
  assertStrictEquals(isOptionKind("ipv6"), false);
});
