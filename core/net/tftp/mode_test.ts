import assert from "node:assert/strict";
import { parseMode } from "./mode.ts";
import { tftpErrorMessage, tftpErrorName } from "./errors.ts";
import { opcodeName } from "./codes.ts";

Deno.test("tftp mode: octet and netascii in any case, mail and others refused", () => {
  assert.deepEqual(parseMode("octet"), { ok: true, value: "octet" });
  assert.deepEqual(parseMode("NetASCII"), { ok: true, value: "netascii" });
  const refusals: [string, string][] = [
    ["mail", 'tftp: mode "mail" is obsolete and not supported'],
    ["Mail", 'tftp: mode "mail" is obsolete and not supported'],
    ["binary", 'tftp: unknown mode "binary"'],
    ["octet ", 'tftp: unknown mode "octet "'],
    ["x".repeat(100), `tftp: unknown mode "${"x".repeat(40)}"`],
  ];
  for (const [text, message] of refusals) {
    const result = parseMode(text);
    assert.equal(result.ok ? "accepted" : result.error.message, message);
  }
});

Deno.test("tftp errors: codes 0-8 have names and the RFCs' messages", () => {
  assert.deepEqual(
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
  assert.equal(tftpErrorMessage(1), "File not found");
  assert.equal(tftpErrorMessage(3), "Disk full or allocation exceeded");
  assert.equal(tftpErrorName(9), "error 9");
  assert.equal(tftpErrorMessage(65535), "Error 65535");
  assert.equal(tftpErrorName(-1), "error -1");
  assert.equal(opcodeName(6), "OACK");
  assert.equal(opcodeName(0), "opcode 0");
});
