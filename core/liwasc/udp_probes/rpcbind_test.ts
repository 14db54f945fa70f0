import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { rpcbindProbe } from "./rpcbind.ts";
import { hex } from "./testdata/bytes.ts";
import {
  RPC_DENIED_MISMATCH,
  RPC_PROG_MISMATCH,
  RPC_SUCCESS,
  RPC_SUCCESS_PADDED_VERIFIER,
} from "./testdata/replies.ts";
import { assertEditsRefused, assertPrefixesRefused } from "./testdata/checks.ts";

const probe = rpcbindProbe({ xid: 0x12345678 });

Deno.test("rpcbind: portmapper v2 NULL call with AUTH_NONE (RFC 5531 §9, RFC 1833 §3)", () => {
  assertEquals(
    probe.payload(),
    hex(`
      12345678 00000000 00000002
      000186a0 00000002 00000000
      00000000 00000000
      00000000 00000000`),
  );
});

Deno.test("rpcbind: accepted and denied replies, described", () => {
  const detail = (reply: Uint8Array) => probe.recognise(reply)?.detail;
  assertEquals(probe.recognise(RPC_SUCCESS), { service: "rpcbind", detail: "NULL call: SUCCESS" });
  assertStrictEquals(detail(RPC_SUCCESS_PADDED_VERIFIER), "NULL call: SUCCESS");
  assertStrictEquals(detail(RPC_PROG_MISMATCH), "PROG_MISMATCH, versions 3 to 4");
  assertStrictEquals(detail(RPC_DENIED_MISMATCH), "denied: RPC versions 2 to 2");
  assertStrictEquals(detail(hex("12345678 00000001 00000001 00000001 00000005")), "denied: auth error 5");
  assertStrictEquals(
    detail(hex("12345678 00000001 00000000 00000000 00000000 00000001")),
    "NULL call: PROG_UNAVAIL",
  );
});

Deno.test("rpcbind: replies not to this call, or broken, are refused", () => {
  assertEditsRefused(probe, RPC_SUCCESS, [
    ["another xid", 3, 0x78, 0x79],
    ["a CALL, not a REPLY", 7, 1, 0],
    ["reply_stat 2", 11, 0, 2],
    ["verifier body past the end", 19, 0, 4],
    ["verifier body over 400 bytes", 18, 0, 2],
    ["accept_stat 6", 23, 0, 6],
  ]);
  assertEditsRefused(probe, RPC_DENIED_MISMATCH, [["reject_stat 2", 15, 0, 2]]);
  assertStrictEquals(probe.recognise(probe.payload()), undefined, "the call reflected");
  for (const reply of [RPC_SUCCESS, RPC_PROG_MISMATCH, RPC_SUCCESS_PADDED_VERIFIER, RPC_DENIED_MISMATCH]) {
    assertPrefixesRefused(probe, reply);
  }
  assertStrictEquals(
    probe.recognise(hex("12345678 00000001 00000001 00000001")),
    undefined,
    "auth error without stat",
  );
});
