import { toHexString } from "../bytes.ts";
import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeTftp, encodeTftp, type TftpRequest } from "./packets.ts";
import { TFTP_OACK, TFTP_RRQ, TFTP_WRQ } from "./codes.ts";
import {
  acceptOack,
  decodeOptionList,
  negotiate,
  type NegotiationLimits,
  optionListLength,
  parseOptionNumber,
  type TftpOptions,
  writeOptionList,
} from "./options.ts";
import {
  CURL_RRQ,
  CURL_RRQ_BLKSIZE_1468,
  CURL_WRQ_TSIZE_3000,
  RFC2347_OACK,
  RFC2347_RRQ,
  RFC2347_WRQ,
  RFC2347_WRQ_OACK,
  RFC2348_RRQ,
  RFC2349_RRQ_TIMEOUT,
  RFC2349_WRQ_TSIZE,
  RFC7440_RRQ,
} from "./testdata/vectors.ts";

function requestOf(bytes: Uint8Array): TftpRequest {
  const packet = unwrap(decodeTftp(bytes));
  if (packet.op !== TFTP_RRQ && packet.op !== TFTP_WRQ) throw new Error("not a request");
  return packet;
}

const read = (...pairs: [string, string][]): TftpRequest => ({
  op: TFTP_RRQ,
  filename: "f",
  mode: "octet",
  options: new Map(pairs),
});
const write = (...pairs: [string, string][]): TftpRequest => ({ ...read(...pairs), op: TFTP_WRQ });

/** negotiate's OACK as bytes, or "" when the server would send none. */
function oackHex(request: TftpRequest, limits?: NegotiationLimits): string {
  const { oack } = negotiate(request, limits);
  return oack.size === 0 ? "" : toHexString(encodeTftp({ op: TFTP_OACK, options: oack }));
}

Deno.test("tftp options: RFC 2347 examples give the RFC's OACKs", () => {
  assertStrictEquals(oackHex(requestOf(RFC2347_RRQ)), toHexString(RFC2347_OACK));
  assertStrictEquals(oackHex(requestOf(RFC2347_WRQ)), toHexString(RFC2347_WRQ_OACK));
  const settings = negotiate(requestOf(RFC2347_RRQ));
  assertEquals(settings, {
    oack: new Map([["blksize", "1432"]]),
    blockSize: 1432,
    windowSize: 1,
    timeout: undefined,
    transferSize: undefined,
  });
});

Deno.test("tftp options: blksize (RFC 2348) is lowered to the server's maximum, small values are refused", () => {
  assertStrictEquals(negotiate(requestOf(RFC2348_RRQ)).blockSize, 1428);
  assertStrictEquals(negotiate(requestOf(RFC2348_RRQ), { maxBlockSize: 1024 }).oack.get("blksize"), "1024");
  assertStrictEquals(negotiate(read(["blksize", "65464"])).oack.get("blksize"), "65464");
  assertStrictEquals(negotiate(read(["blksize", "65465"])).oack.get("blksize"), "65464");
  assertStrictEquals(negotiate(read(["blksize", "99999999999999999999999"])).oack.get("blksize"), "65464");
  assertStrictEquals(negotiate(read(["blksize", "8"])).oack.get("blksize"), "8");
  assertStrictEquals(negotiate(read(["blksize", "0008"])).oack.get("blksize"), "8");
  for (const bad of ["7", "0", "", "-512", " 512", "512 ", "0x200", "1e3", "5l2"]) {
    const settings = negotiate(read(["blksize", bad]));
    assertStrictEquals(settings.oack.size, 0, bad);
    assertStrictEquals(settings.blockSize, 512, bad);
  }
});

Deno.test("tftp options: timeout and tsize (RFC 2349)", () => {
  const timeout = negotiate(requestOf(RFC2349_RRQ_TIMEOUT));
  assertEquals([...timeout.oack], [["timeout", "1"]]);
  assertStrictEquals(timeout.timeout, 1);
  assertStrictEquals(negotiate(read(["timeout", "255"])).timeout, 255);
  for (const bad of ["0", "256", "1000", "", "1.5"]) {
    assertStrictEquals(negotiate(read(["timeout", bad])).oack.size, 0);
  }
  // A write announces its size; the server echoes it.
  const upload = negotiate(requestOf(RFC2349_WRQ_TSIZE));
  assertEquals([...upload.oack], [["tsize", "673312"]]);
  assertStrictEquals(upload.transferSize, 673312);
  // A read asks with 0 and is answered with the file size, when the server knows it.
  assertEquals([...negotiate(read(["tsize", "0"]), { fileSize: 45678 }).oack], [["tsize", "45678"]]);
  assertStrictEquals(negotiate(read(["tsize", "0"])).oack.size, 0);
  assertStrictEquals(negotiate(read(["tsize", "zero"]), { fileSize: 1 }).oack.size, 0);
  assertStrictEquals(negotiate(write(["tsize", "99999999999999999999"])).oack.size, 0);
});

Deno.test("tftp options: windowsize (RFC 7440) only when the server allows windows", () => {
  const request = requestOf(RFC7440_RRQ);
  assertStrictEquals(negotiate(request).oack.size, 0, "lockstep servers leave windowsize out");
  assertStrictEquals(negotiate(request).windowSize, 1);
  assertEquals([...negotiate(request, { maxWindowSize: 64 }).oack], [["windowsize", "16"]]);
  assertStrictEquals(negotiate(request, { maxWindowSize: 8 }).windowSize, 8);
  assertStrictEquals(negotiate(read(["windowsize", "1"]), { maxWindowSize: 8 }).oack.get("windowsize"), "1");
  assertStrictEquals(negotiate(read(["windowsize", "70000"]), { maxWindowSize: 65535 }).windowSize, 65535);
  assertStrictEquals(negotiate(read(["windowsize", "0"]), { maxWindowSize: 8 }).oack.size, 0);
});

Deno.test("tftp options: curl's request gets tsize, blksize and timeout back in its order", () => {
  const settings = negotiate(requestOf(CURL_RRQ), { maxBlockSize: 1468, fileSize: 1100 });
  assertEquals([...settings.oack], [["tsize", "1100"], ["blksize", "512"], ["timeout", "6"]]);
  assertEquals(
    [...negotiate(requestOf(CURL_RRQ_BLKSIZE_1468), { maxBlockSize: 1024, fileSize: 0 }).oack],
    [["tsize", "0"], ["blksize", "1024"], ["timeout", "6"]],
  );
  assertEquals(negotiate(requestOf(CURL_WRQ_TSIZE_3000)).transferSize, 3000);
});

Deno.test("tftp options: unknown options stay in the request and out of the OACK", () => {
  const request = read(["multicast", ""], ["utimeout", "500000"], ["blksize", "1400"], ["x", "y"]);
  assertEquals([...negotiate(request).oack], [["blksize", "1400"]]);
  assertStrictEquals(negotiate(read(["multicast", ""])).oack.size, 0);
  // Hand-built maps may use any case; negotiate answers in lower case.
  assertEquals([...negotiate(read(["BLKSIZE", "600"])).oack], [["blksize", "600"]]);
});

Deno.test("tftp options: limits outside the RFC ranges are programming errors", () => {
  assertThrows(() => negotiate(read(), { maxBlockSize: 7 }), RangeError);
  assertThrows(() => negotiate(read(), { maxBlockSize: 65465 }), RangeError);
  assertThrows(() => negotiate(read(), { maxWindowSize: 0 }), RangeError);
  assertThrows(() => negotiate(read(), { maxWindowSize: 65536 }), RangeError);
  assertThrows(() => negotiate(read(), { fileSize: -1 }), RangeError);
  assertThrows(() => negotiate(read(), { fileSize: 2 ** 53 }), RangeError);
});

Deno.test("tftp options: acceptOack takes the server's answer to a request", () => {
  const request = read(["blksize", "1468"], ["tsize", "0"], ["timeout", "3"], ["windowsize", "8"], [
    "x",
    "1",
  ]);
  const server = negotiate(request, { maxBlockSize: 1432, maxWindowSize: 4, fileSize: 12345 });
  assertEquals(unwrap(acceptOack(request, server.oack)), server);
  assertEquals(unwrap(acceptOack(request, new Map([["BLKSIZE", "512"]]))), {
    oack: new Map([["blksize", "512"]]),
    blockSize: 512,
    windowSize: 1,
    timeout: undefined,
    transferSize: undefined,
  });
  // Options the client asked for but the codec does not know pass through.
  assertStrictEquals(unwrap(acceptOack(request, new Map([["x", "2"]]))).blockSize, 512);
  const refusals: [TftpOptions, string][] = [
    [new Map([["multicast", ""]]), 'tftp: OACK carries unrequested option "multicast"'],
    [new Map([["blksize", "1469"]]), 'tftp: OACK blksize "1469" exceeds the 1468 requested'],
    [new Map([["blksize", "7"]]), 'tftp: OACK blksize "7" is not a block size from 8 to 65464'],
    [new Map([["blksize", "big"]]), 'tftp: OACK blksize "big" is not a block size from 8 to 65464'],
    [new Map([["timeout", "4"]]), 'tftp: OACK timeout "4" differs from the 3 requested'],
    [new Map([["tsize", "-1"]]), 'tftp: OACK tsize "-1" is not a size'],
    [
      new Map([["windowsize", "9"]]),
      'tftp: OACK windowsize "9" is not a window size from 1 to the 8 requested',
    ],
    [
      new Map([["windowsize", "0"]]),
      'tftp: OACK windowsize "0" is not a window size from 1 to the 8 requested',
    ],
  ];
  for (const [oack, message] of refusals) {
    const result = acceptOack(request, oack);
    assertStrictEquals(result.ok ? "accepted" : result.error.message, message);
  }
});

Deno.test("tftp options: parseOptionNumber takes plain decimal digits only", () => {
  assertStrictEquals(parseOptionNumber("0"), 0);
  assertStrictEquals(parseOptionNumber("000"), 0);
  assertStrictEquals(parseOptionNumber("01432"), 1432);
  assertStrictEquals(parseOptionNumber("999999999999999"), 999999999999999);
  assertStrictEquals(parseOptionNumber("9007199254740991"), Number.MAX_SAFE_INTEGER);
  assertStrictEquals(parseOptionNumber("9007199254740992"), Infinity);
  assertStrictEquals(parseOptionNumber("9999999999999999"), Infinity);
  assertStrictEquals(parseOptionNumber("0000000000000000000000001"), 1);
  for (const bad of ["", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "١"]) {
    assertStrictEquals(parseOptionNumber(bad), undefined, bad);
  }
});

Deno.test("tftp options: the list codec on its own", () => {
  const options = new Map([["blksize", "512"], ["tsize", "0"]]);
  const bytes = new Uint8Array(2 + optionListLength(options));
  assertStrictEquals(writeOptionList(options, bytes, 2), bytes.length);
  assertEquals(unwrap(decodeOptionList(bytes, 2)), options);
  assertEquals(unwrap(decodeOptionList(bytes, bytes.length)), new Map());
});
