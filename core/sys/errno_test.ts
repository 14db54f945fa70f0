import { assert, assertMatch, assertStrictEquals } from "../testing/assert.ts";
import { errnoDescription, errnoName, errnoNumber, isErrno, SysError } from "./errno.ts";

Deno.test("errno: names and descriptions of common values", () => {
  assertStrictEquals(errnoName(19), "ENODEV");
  assertStrictEquals(errnoName(11), "EAGAIN");
  assertStrictEquals(errnoName(98), "EADDRINUSE");
  assertStrictEquals(errnoName(101), "ENETUNREACH");
  assertStrictEquals(errnoName(35), "EDEADLK");
  assertStrictEquals(errnoName(95), "EOPNOTSUPP");
  assertStrictEquals(errnoDescription(19), "No such device");
  assertStrictEquals(errnoName(9999), "E?9999");
  assertStrictEquals(errnoNumber("EWOULDBLOCK"), 11);
  assertStrictEquals(errnoNumber("ENOTAREALERROR"), undefined);
});

Deno.test("errno: SysError message names the call, the subject and the errno", () => {
  const error = new SysError("bind", "eth9", 19);
  assertStrictEquals(error.message, "bind(eth9): ENODEV (No such device)");
  assertStrictEquals(error.errno, 19);
  assertStrictEquals(error.code, "ENODEV");
  assertStrictEquals(error.call, "bind");
  assertStrictEquals(error.subject, "eth9");
  assertStrictEquals(error.name, "SysError");
  assert(error instanceof Error);
  assert(isErrno(error, "ENODEV"));
  assert(!isErrno(error, "EAGAIN"));
  assert(isErrno(new SysError("read", "tap0", 11), "EWOULDBLOCK"));
  assert(!isErrno(new Error("ENODEV"), "ENODEV"));
});

Deno.test("errno: the table has one unique name per number", () => {
  const seen = new Set<string>();
  for (let errno = 1; errno <= 133; errno++) {
    const name = errnoName(errno);
    if (errno === 41 || errno === 58) {
      assertStrictEquals(name, `E?${errno}`); // unused numbers on Linux
      continue;
    }
    assertMatch(name, /^E[A-Z0-9]+$/);
    assert(!seen.has(name), `duplicate ${name}`);
    seen.add(name);
    assertStrictEquals(errnoNumber(name), errno);
  }
});
