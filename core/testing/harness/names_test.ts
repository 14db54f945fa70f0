import assert from "node:assert/strict";
import { checkInterfaceName, ownerPid, uniqueName } from "./names.ts";

Deno.test("names: unique names carry the PID and a counter", () => {
  const first = uniqueName();
  const second = uniqueName();
  assert.match(first, new RegExp(`^ctpf-t-${Deno.pid}-[0-9a-f]{4}-\\d+$`));
  assert.notEqual(first, second);
  assert.equal(ownerPid(first), Deno.pid);
  assert.equal(ownerPid("ctpf-t-12-00af-3"), 12);
  assert.equal(ownerPid("someone-else"), undefined);
  assert.equal(ownerPid("ctpf-t-12-3"), undefined);
});

Deno.test("names: interface names are checked against the kernel's 15-byte limit", () => {
  assert.equal(checkInterfaceName("veth-a0"), "veth-a0");
  for (const bad of ["", "a-very-long-name-x", "has space", "a/b"]) {
    assert.throws(() => checkInterfaceName(bad), RangeError);
  }
});
