import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
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
  assertStrictEquals(architectureName(ARCH_X86_BIOS), "x86 BIOS");
  assertStrictEquals(architectureName(ARCH_X64_UEFI), "x64 UEFI");
  assertStrictEquals(architectureName(11), "ARM64 UEFI");
  assertStrictEquals(architectureName(999), "architecture 999");
});

Deno.test("pxe: machine id is type 0 and 16 bytes in wire order", () => {
  const bytes = hex("00" + "0123456789abcdef0011223344556677");
  const id = unwrap(decodeMachineId(bytes));
  assertEquals(id, { type: 0, uuid: "01234567-89ab-cdef-0011-223344556677" });
  assertEquals(encodeMachineId(id), bytes);
  assertEquals(encodeMachineId({ type: 0, uuid: "01234567-89AB-CDEF-0011-223344556677" }), bytes);
  const short = decodeMachineId(bytes.subarray(0, 16));
  assertStrictEquals(
    short.ok ? "" : short.error.message,
    "dhcp client machine id: length 16, expected 17 (type 0 and a 16-byte GUID)",
  );
  assertThrows(() => encodeMachineId({ type: 0, uuid: "not-a-uuid" }), RangeError);
  assertThrows(() => encodeMachineId({ type: 1, uuid: id.uuid }), RangeError);
});

Deno.test("pxe: network interface id (UNDI version)", () => {
  assertEquals(unwrap(CLIENT_NETWORK_INTERFACE_ID.decode(hex("010201"))), {
    type: 1,
    major: 2,
    minor: 1,
  });
  assertEquals(CLIENT_NETWORK_INTERFACE_ID.encode({ type: 1, major: 3, minor: 16 }), hex("010310"));
  assertThrows(() => CLIENT_NETWORK_INTERFACE_ID.encode({ type: 1, major: 256, minor: 0 }), RangeError);
});
