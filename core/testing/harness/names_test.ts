import { assertMatch, assertNotStrictEquals, assertStrictEquals, assertThrows } from "../assert.ts";
import { checkInterfaceName, ownerPid, uniqueName } from "./names.ts";

Deno.test("names: unique names carry the PID and a counter", () => {
  const first = uniqueName();
  const second = uniqueName();
  assertMatch(first, new RegExp(`^ctpf-t-${Deno.pid}-[0-9a-f]{4}-\\d+$`));
  assertNotStrictEquals(first, second);
  assertStrictEquals(ownerPid(first), Deno.pid);
  assertStrictEquals(ownerPid("ctpf-t-12-00af-3"), 12);
  assertStrictEquals(ownerPid("someone-else"), undefined);
  assertStrictEquals(ownerPid("ctpf-t-12-3"), undefined);
});

Deno.test("names: interface names are checked against the kernel's 15-byte limit", () => {
  assertStrictEquals(checkInterfaceName("veth-a0"), "veth-a0");
  for (const bad of ["", "a-very-long-name-x", "has space", "a/b"]) {
    assertThrows(() => checkInterfaceName(bad), RangeError);
  }
});
