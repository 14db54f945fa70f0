import { isNodeId, nodeIdToBytes, readNodeId, requireNodeId } from "./node_id.ts";
import { AddressSyntaxError } from "../../net/errors.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";

Deno.test("node id: 32 lowercase hex digits to 16 bytes and back", () => {
  const id = "00ff10a0b1c2d3e4f5061728394a5b6c";
  const bytes = nodeIdToBytes(id);
  assertEquals(bytes.length, 16);
  assertEquals(bytes[1], 0xff);
  assertEquals(readNodeId(bytes, 0), id);
  const padded = new Uint8Array(20);
  padded.set(bytes, 3);
  assertEquals(readNodeId(padded, 3), id);
});

Deno.test("node id: only the canonical text form is an id", () => {
  assert(isNodeId("0123456789abcdef0123456789abcdef"));
  for (
    const bad of [
      "",
      "0123456789ABCDEF0123456789ABCDEF",
      "0123456789abcdef0123456789abcde",
      "0123456789abcdef0123456789abcdef0",
      "0123456789abcdef0123456789abcdeg",
      " 123456789abcdef0123456789abcdef",
      "0123456789abcdef0123456789abcdef\n",
    ]
  ) {
    assert(!isNodeId(bad), bad);
    assertThrows(() => requireNodeId(bad), AddressSyntaxError);
    assertThrows(() => nodeIdToBytes(bad), AddressSyntaxError);
  }
});
