import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { AddressSyntaxError } from "../../net/errors.ts";
import { hex } from "../../net/testdata/captures.ts";
import { isNodeId, readNodeId, requireNodeId, writeNodeId } from "./node_id.ts";

Deno.test("node id: 16 bytes on the wire, 32 lowercase hex characters in memory", () => {
  const bytes = hex("00ff" + "0123456789abcdef0123456789abcdef" + "7f");
  assertEquals(readNodeId(bytes, 2), "0123456789abcdef0123456789abcdef");
  const target = new Uint8Array(18);
  writeNodeId("0123456789abcdef0123456789ab7f01", target, 1);
  assertEquals(target, hex("00" + "0123456789abcdef0123456789ab7f01" + "00"));
  assertEquals(readNodeId(target, 1), "0123456789abcdef0123456789ab7f01");
});

Deno.test("node id: only one spelling is accepted", () => {
  assertEquals(isNodeId("0123456789abcdef0123456789abcdef"), true);
  for (const bad of ["0123456789ABCDEF0123456789ABCDEF", "0123", "0123456789abcdef0123456789abcdef0", ""]) {
    assertEquals(isNodeId(bad), false);
    assertThrows(() => requireNodeId(bad), AddressSyntaxError);
  }
});
