import assert from "node:assert/strict";
import { unwrap } from "../errors.ts";
import {
  ARCH_X64_UEFI,
  ARCH_X86_BIOS,
  architectureName,
  CLIENT_NETWORK_INTERFACE_ID,
  decodeMachineId,
  encodeMachineId,
} from "./pxe.ts";
import { hex } from "./testdata/captures.ts";

Deno.test("pxe: architecture names for the types the iPXE ROM and EDK2 sent", () => {
  assert.equal(architectureName(ARCH_X86_BIOS), "x86 BIOS");
  assert.equal(architectureName(ARCH_X64_UEFI), "x64 UEFI");
  assert.equal(architectureName(11), "ARM64 UEFI");
  assert.equal(architectureName(999), "architecture 999");
});

Deno.test("pxe: machine id is type 0 and 16 bytes in wire order", () => {
  const bytes = hex("00" + "0123456789abcdef0011223344556677");
  const id = unwrap(decodeMachineId(bytes));
  assert.deepEqual(id, { type: 0, uuid: "01234567-89ab-cdef-0011-223344556677" });
  assert.deepEqual(encodeMachineId(id), bytes);
  assert.deepEqual(encodeMachineId({ type: 0, uuid: "01234567-89AB-CDEF-0011-223344556677" }), bytes);
  const short = decodeMachineId(bytes.subarray(0, 16));
  assert.equal(
    short.ok ? "" : short.error.message,
    "dhcp client machine id: length 16, expected 17 (type 0 and a 16-byte GUID)",
  );
  assert.throws(() => encodeMachineId({ type: 0, uuid: "not-a-uuid" }), RangeError);
  assert.throws(() => encodeMachineId({ type: 1, uuid: id.uuid }), RangeError);
});

Deno.test("pxe: network interface id (UNDI version)", () => {
  assert.deepEqual(unwrap(CLIENT_NETWORK_INTERFACE_ID.decode(hex("010201"))), {
    type: 1,
    major: 2,
    minor: 1,
  });
  assert.deepEqual(CLIENT_NETWORK_INTERFACE_ID.encode({ type: 1, major: 3, minor: 16 }), hex("010310"));
  assert.throws(() => CLIENT_NETWORK_INTERFACE_ID.encode({ type: 1, major: 256, minor: 0 }), RangeError);
});
