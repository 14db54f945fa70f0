import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { parseMode } from "./mode.ts";
import { tftpErrorMessage, tftpErrorName } from "./errors.ts";
import { opcodeName } from "./codes.ts";

Deno.test("tftp mode: octet and netascii in any case, mail and others refused", () => {
  assertEquals(parseMode("octet"), { ok: true, value: "octet" });
  assertEquals(parseMode("NetASCII"), { ok: true, value: "netascii" });
  const refusals: [string, string][] = [
    ["mail", 'tftp: mode "mail" is obsolete and not supported'],
    ["Mail", 'tftp: mode "mail" is obsolete and not supported'],
    ["binary", 'tftp: unknown mode "binary"'],
    ["octet ", 'tftp: unknown mode "octet "'],
    ["x".repeat(100), `tftp: unknown mode "${"x".repeat(40)}"`],
  ];
  for (const [text, message] of refusals) {
    const result = parseMode(text);
    assertStrictEquals(result.ok ? "accepted" : result.error.message, message);
  }
});

Deno.test("tftp errors: codes 0-8 have names and the RFCs' messages", () => {
  assertEquals(
    Array.from({ length: 9 }, (_, code) => tftpErrorName(code)),
    [
      "not defined",
      "file not found",
      "access violation",
      "disk full",
      "illegal operation",
      "unknown transfer id",
      "file exists",
      "no such user",
      "option negotiation",
    ],
  );
  assertStrictEquals(tftpErrorMessage(1), "File not found");
  assertStrictEquals(tftpErrorMessage(3), "Disk full or allocation exceeded");
  assertStrictEquals(tftpErrorName(9), "error 9");
  assertStrictEquals(tftpErrorMessage(65535), "Error 65535");
  assertStrictEquals(tftpErrorName(-1), "error -1");
  assertStrictEquals(opcodeName(6), "OACK");
  assertStrictEquals(opcodeName(0), "opcode 0");
});
