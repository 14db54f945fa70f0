import { toHexString } from "../bytes.ts";
import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import {
  decodeTftp,
  encodeTftp,
  tftpError,
  type TftpPacket,
  writeAck,
  writeData,
  writeDataHeader,
} from "./packets.ts";
import { TFTP_ACK, TFTP_DATA, TFTP_ERROR, TFTP_OACK, TFTP_RRQ, TFTP_WRQ } from "./codes.ts";
import {
  ALL_VECTORS,
  CURL_ACK_0,
  CURL_DATA_LAST,
  CURL_RRQ,
  CURL_RRQ_NETASCII,
  CURL_RRQ_NO_OPTIONS,
  CURL_WRQ_TSIZE_3000,
  hex,
  RFC1350_ACK,
  RFC1350_DATA,
  RFC1350_DATA_EMPTY,
  RFC1350_ERROR,
  RFC1350_RRQ_NETASCII,
  RFC2347_OACK,
  RFC2347_RRQ,
  RFC2347_WRQ,
  RFC2349_WRQ_TSIZE,
  RFC7440_RRQ,
} from "./testdata/vectors.ts";

const bytesOf = (text: string) => new TextEncoder().encode(text);
/** A packet from an opcode and strings, each followed by NUL: the RFCs' |1|foo|0|octet|0| notation. */
function packet(op: number, ...fields: string[]): Uint8Array {
  return Uint8Array.of(0, op, ...fields.flatMap((field) => [...bytesOf(field), 0]));
}

function failure(bytes: Uint8Array): string {
  const result = decodeTftp(bytes);
  assertStrictEquals(result.ok, false, `decoded ${toHexString(bytes)}`);
  return result.ok ? "" : result.error.message;
}

Deno.test("tftp packets: RFC 2347 example read, OACK and ACK 0", () => {
  assertEquals(unwrap(decodeTftp(RFC2347_RRQ)), {
    op: TFTP_RRQ,
    filename: "foofile",
    mode: "octet",
    options: new Map([["blksize", "1432"]]),
  });
  assertEquals(unwrap(decodeTftp(RFC2347_OACK)), {
    op: TFTP_OACK,
    options: new Map([["blksize", "1432"]]),
  });
  assertEquals(unwrap(decodeTftp(CURL_ACK_0)), { op: TFTP_ACK, block: 0 });
  assertEquals(
    encodeTftp({ op: TFTP_OACK, options: new Map([["blksize", "1432"]]) }),
    RFC2347_OACK,
  );
  assertEquals(unwrap(decodeTftp(RFC2347_WRQ)), {
    op: TFTP_WRQ,
    filename: "barfile",
    mode: "octet",
    options: new Map([["blksize", "2048"]]),
  });
});

Deno.test("tftp packets: RFC 2349 tsize write and RFC 7440 windowsize read", () => {
  assertEquals(unwrap(decodeTftp(RFC2349_WRQ_TSIZE)), {
    op: TFTP_WRQ,
    filename: "foobar",
    mode: "octet",
    options: new Map([["tsize", "673312"]]),
  });
  const windowed = unwrap(decodeTftp(RFC7440_RRQ));
  assertStrictEquals(windowed.op, TFTP_RRQ);
  assertEquals(windowed.op === TFTP_RRQ && [...windowed.options], [["windowsize", "16"]]);
});

Deno.test("tftp packets: RFC 1350 DATA, ACK, ERROR and a netascii read without options", () => {
  assertEquals(unwrap(decodeTftp(RFC1350_RRQ_NETASCII)), {
    op: TFTP_RRQ,
    filename: "foobar",
    mode: "netascii",
    options: new Map(),
  });
  const data = unwrap(decodeTftp(RFC1350_DATA));
  assertEquals(data, { op: TFTP_DATA, block: 1, data: bytesOf("hello") });
  assert(data.op === TFTP_DATA && data.data.buffer === RFC1350_DATA.buffer, "DATA is a view, not a copy");
  assertEquals(unwrap(decodeTftp(RFC1350_DATA_EMPTY)), {
    op: TFTP_DATA,
    block: 2,
    data: new Uint8Array(0),
  });
  assertEquals(unwrap(decodeTftp(RFC1350_ACK)), { op: TFTP_ACK, block: 1 });
  assertEquals(unwrap(decodeTftp(RFC1350_ERROR)), { op: TFTP_ERROR, code: 1, message: "File not found" });
  assertEquals(encodeTftp(tftpError(1)), RFC1350_ERROR);
});

Deno.test("tftp packets: what curl 7.88.1 sent", () => {
  assertEquals(unwrap(decodeTftp(CURL_RRQ)), {
    op: TFTP_RRQ,
    filename: "boot/pxelinux.0",
    mode: "octet",
    options: new Map([["tsize", "0"], ["blksize", "512"], ["timeout", "6"]]),
  });
  const write = unwrap(decodeTftp(CURL_WRQ_TSIZE_3000));
  assertStrictEquals(write.op === TFTP_WRQ && write.options.get("tsize"), "3000");
  const netascii = unwrap(decodeTftp(CURL_RRQ_NETASCII));
  assertStrictEquals(netascii.op === TFTP_RRQ && netascii.mode, "netascii");
  assertEquals(unwrap(decodeTftp(CURL_RRQ_NO_OPTIONS)), {
    op: TFTP_RRQ,
    filename: "boot/pxelinux.0",
    mode: "octet",
    options: new Map(),
  });
  assertEquals(unwrap(decodeTftp(CURL_DATA_LAST)), {
    op: TFTP_DATA,
    block: 3,
    data: hex("00070e151c23"),
  });
});

Deno.test("tftp packets: every vector re-encodes to its own bytes", () => {
  for (const [name, bytes] of Object.entries(ALL_VECTORS)) {
    assertStrictEquals(toHexString(encodeTftp(unwrap(decodeTftp(bytes)))), toHexString(bytes), name);
  }
});

Deno.test("tftp packets: names and modes are case-insensitive, values are kept as sent", () => {
  const request = unwrap(
    decodeTftp(packet(1, "Boot.EFI", "OcTeT", "BlkSize", "1468", "TSIZE", "0", "X-Vendor", "AbC")),
  );
  assertEquals(request, {
    op: TFTP_RRQ,
    filename: "Boot.EFI",
    mode: "octet",
    options: new Map([["blksize", "1468"], ["tsize", "0"], ["x-vendor", "AbC"]]),
  });
  assertEquals(
    encodeTftp(request),
    packet(1, "Boot.EFI", "octet", "blksize", "1468", "tsize", "0", "x-vendor", "AbC"),
  );
});

Deno.test("tftp packets: filenames are UTF-8, option bytes above 0x7f are kept one per character", () => {
  const request = unwrap(decodeTftp(packet(2, "bücher/ü.efi", "octet")));
  assertStrictEquals(request.op === TFTP_WRQ && request.filename, "bücher/ü.efi");
  assertEquals(encodeTftp(request), packet(2, "bücher/ü.efi", "octet"));
  const odd = Uint8Array.of(0, 1, 0x61, 0, ...bytesOf("octet"), 0, 0x78, 0xff, 0, 0x80, 0x9f, 0);
  const decoded = unwrap(decodeTftp(odd));
  assertEquals(decoded.op === TFTP_RRQ && [...decoded.options], [["x\u00ff", "\u0080\u009f"]]);
  assertEquals(encodeTftp(decoded), odd);
  assertStrictEquals(
    failure(Uint8Array.of(0, 1, 0xc3, 0x28, 0, ...bytesOf("octet"), 0)),
    "tftp: RRQ filename is not UTF-8",
  );
  // A leading byte order mark is part of the name, not stripped.
  const bom = unwrap(decodeTftp(packet(1, "\ufeffa", "octet")));
  assertStrictEquals(bom.op === TFTP_RRQ && bom.filename, "\ufeffa");
});

Deno.test("tftp packets: NUL padding after the options is ignored, anything else must pair up", () => {
  const padded = Uint8Array.of(...packet(1, "a", "octet", "blksize", "512"), 0, 0, 0);
  const request = unwrap(decodeTftp(padded));
  assertEquals(request.op === TFTP_RRQ && [...request.options], [["blksize", "512"]]);
  assertEquals(unwrap(decodeTftp(Uint8Array.of(...packet(1, "a", "octet"), 0))), {
    op: TFTP_RRQ,
    filename: "a",
    mode: "octet",
    options: new Map(),
  });
});

Deno.test("tftp packets: malformed packets fail with the reason", () => {
  const cases: [Uint8Array, string][] = [
    [new Uint8Array(0), "tftp: 0 bytes, an opcode needs 2"],
    [Uint8Array.of(0), "tftp: 1 bytes, an opcode needs 2"],
    [Uint8Array.of(0, 0), "tftp: unknown opcode 0"],
    [Uint8Array.of(0, 7, 0, 0), "tftp: unknown opcode 7"],
    [Uint8Array.of(1, 1, 0, 0), "tftp: unknown opcode 257"],
    [Uint8Array.of(0, 1), "tftp: RRQ filename has no NUL terminator"],
    [Uint8Array.of(0, 2, 0x61), "tftp: WRQ filename has no NUL terminator"],
    [Uint8Array.of(0, 1, 0, ...bytesOf("octet"), 0), "tftp: RRQ has an empty filename"],
    [Uint8Array.of(0, 1, 0x61, 0), "tftp: RRQ has no mode"],
    [Uint8Array.of(0, 1, 0x61, 0, ...bytesOf("octet")), "tftp: RRQ mode has no NUL terminator"],
    [packet(1, "a", "mail"), 'tftp: RRQ: mode "mail" is obsolete and not supported'],
    [packet(2, "a", "MAIL"), 'tftp: WRQ: mode "mail" is obsolete and not supported'],
    [packet(1, "a", "binary"), 'tftp: RRQ: unknown mode "binary"'],
    [packet(1, "a", ""), 'tftp: RRQ: unknown mode ""'],
    [
      packet(1, "a", "octet", "blksize", "512", "BLKSIZE", "1024"),
      'tftp: RRQ: option "blksize" appears twice',
    ],
    [
      Uint8Array.of(...packet(1, "a", "octet"), 0x62),
      "tftp: RRQ: option name at byte 10 runs to the end without a NUL",
    ],
    [packet(1, "a", "octet", "blksize"), 'tftp: RRQ: option "blksize" at byte 10 has no value'],
    [
      Uint8Array.of(...packet(1, "a", "octet", "blksize"), 0x35),
      'tftp: RRQ: option "blksize" at byte 10 has a value without its NUL',
    ],
    [Uint8Array.of(...packet(1, "a", "octet"), 0, 0x35, 0), "tftp: RRQ: empty option name at byte 10"],
    [Uint8Array.of(0, 3, 0), "tftp: DATA of 3 bytes, needs 4"],
    [Uint8Array.of(0, 4, 0), "tftp: ACK of 3 bytes, needs 4"],
    [Uint8Array.of(0, 5, 0), "tftp: ERROR of 3 bytes, needs 4"],
    [Uint8Array.of(0, 6), "tftp: OACK carries no options"],
    [Uint8Array.of(0, 6, 0, 0), "tftp: OACK carries no options"],
    [packet(6, "tsize", "1", "TSize", "2"), 'tftp: OACK: option "tsize" appears twice'],
    [packet(6, "blksize"), 'tftp: OACK: option "blksize" at byte 2 has no value'],
  ];
  for (const [bytes, message] of cases) assertStrictEquals(failure(bytes), message, toHexString(bytes));
});

Deno.test("tftp packets: tolerated sloppiness: ACK with trailing bytes, ERROR without its NUL", () => {
  assertEquals(unwrap(decodeTftp(Uint8Array.of(0, 4, 1, 2, 0, 0, 0))), { op: TFTP_ACK, block: 0x0102 });
  assertEquals(unwrap(decodeTftp(Uint8Array.of(0, 5, 0, 2, ...bytesOf("denied")))), {
    op: TFTP_ERROR,
    code: 2,
    message: "denied",
  });
  assertEquals(unwrap(decodeTftp(Uint8Array.of(0, 5, 0, 99, 0, 0x41))), {
    op: TFTP_ERROR,
    code: 99,
    message: "",
  });
  assertEquals(unwrap(decodeTftp(Uint8Array.of(0, 5, 0, 0, 0xff, 0))), {
    op: TFTP_ERROR,
    code: 0,
    message: "\ufffd",
  });
});

Deno.test("tftp packets: writeData and writeAck fill a caller's buffer without allocating", () => {
  const target = new Uint8Array(16).fill(0xee);
  assertStrictEquals(writeData(0xfffe, bytesOf("abc"), target, 2), 7);
  assertStrictEquals(toHexString(target.subarray(0, 10)), "eeee0003fffe616263ee");
  assertStrictEquals(writeAck(0xffff, target, 12), 4);
  assertStrictEquals(toHexString(target.subarray(12)), "0004ffff");
  // A payload read straight into place after the header.
  const buffer = new Uint8Array(4 + 512);
  const payload = buffer.subarray(4, 4 + 100).fill(7);
  assertStrictEquals(writeData(9, payload, buffer), 104);
  assertEquals(unwrap(decodeTftp(buffer.subarray(0, 104))), {
    op: TFTP_DATA,
    block: 9,
    data: new Uint8Array(100).fill(7),
  });
  assertStrictEquals(writeDataHeader(10, buffer), 4);
  assertStrictEquals(toHexString(buffer.subarray(0, 5)), "0003000a07");
  // The full RFC 2348 maximum fits; a byte more does not.
  const big = new Uint8Array(4 + 65464);
  assertStrictEquals(writeData(1, new Uint8Array(65464), big), 65468);
  assertThrows(() => writeData(1, new Uint8Array(65465), new Uint8Array(70000)), RangeError);
  assertThrows(() => writeData(1, new Uint8Array(13), target), RangeError);
  assertThrows(() => writeData(65536, new Uint8Array(1), target), RangeError);
  assertThrows(() => writeAck(-1, target), RangeError);
  assertThrows(() => writeAck(1, target, 13), RangeError);
  assertThrows(() => writeDataHeader(1.5, target), RangeError);
});

Deno.test("tftp packets: encoders refuse what cannot go on the wire", () => {
  const request = (filename: string, options = new Map<string, string>()): TftpPacket => ({
    op: TFTP_RRQ,
    filename,
    mode: "octet",
    options,
  });
  assertThrows(() => encodeTftp(request("")), /filename must not be empty/);
  assertThrows(() => encodeTftp(request("a\0b")), /filename must not contain NUL/);
  assertThrows(() => encodeTftp(request("\ud800")), /lone surrogate/);
  assertThrows(() => encodeTftp(request("a", new Map([["", "1"]]))), /option names must not be empty/);
  assertThrows(() => encodeTftp(request("a", new Map([["blksize", "5\0"]]))), /must not contain NUL/);
  assertThrows(
    () => encodeTftp(request("a", new Map([["blksize", "€"]]))),
    /one byte per character, got U\+20ac/,
  );
  assertThrows(
    () => encodeTftp(request("a", new Map([["blksize", "8"], ["BLKSIZE", "9"]]))),
    /is given twice/,
  );
  assertThrows(() => encodeTftp({ ...request("a"), mode: "mail" } as unknown as TftpPacket), /mode must be/);
  assertThrows(() => encodeTftp({ op: TFTP_OACK, options: new Map() }), /at least one option/);
  assertThrows(() => encodeTftp({ op: TFTP_ERROR, code: 0x10000, message: "" }), RangeError);
  assertThrows(() => encodeTftp({ op: TFTP_ERROR, code: 1, message: "a\0" }), RangeError);
  assertThrows(() => encodeTftp({ op: TFTP_ACK, block: 0x10000 }), RangeError);
  assertThrows(() => encodeTftp({ op: 9 } as unknown as TftpPacket), /unknown TFTP opcode 9/);
});

Deno.test("tftp packets: tftpError fills in the RFC message", () => {
  assertEquals(tftpError(8), {
    op: TFTP_ERROR,
    code: 8,
    message: "Transfer terminated due to option negotiation",
  });
  assertEquals(encodeTftp(tftpError(4, "bad")), Uint8Array.of(0, 5, 0, 4, 0x62, 0x61, 0x64, 0));
});
