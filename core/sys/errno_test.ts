import assert from "node:assert/strict";
import { errnoDescription, errnoName, errnoNumber, isErrno, SysError } from "./errno.ts";

Deno.test("errno: names and descriptions of common values", () => {
  assert.equal(errnoName(19), "ENODEV");
  assert.equal(errnoName(11), "EAGAIN");
  assert.equal(errnoName(98), "EADDRINUSE");
  assert.equal(errnoName(101), "ENETUNREACH");
  assert.equal(errnoName(35), "EDEADLK");
  assert.equal(errnoName(95), "EOPNOTSUPP");
  assert.equal(errnoDescription(19), "No such device");
  assert.equal(errnoName(9999), "E?9999");
  assert.equal(errnoNumber("EWOULDBLOCK"), 11);
  assert.equal(errnoNumber("ENOTAREALERROR"), undefined);
});

Deno.test("errno: SysError message names the call, the subject and the errno", () => {
  const error = new SysError("bind", "eth9", 19);
  assert.equal(error.message, "bind(eth9): ENODEV (No such device)");
  assert.equal(error.errno, 19);
  assert.equal(error.code, "ENODEV");
  assert.equal(error.call, "bind");
  assert.equal(error.subject, "eth9");
  assert.equal(error.name, "SysError");
  assert.ok(error instanceof Error);
  assert.ok(isErrno(error, "ENODEV"));
  assert.ok(!isErrno(error, "EAGAIN"));
  assert.ok(isErrno(new SysError("read", "tap0", 11), "EWOULDBLOCK"));
  assert.ok(!isErrno(new Error("ENODEV"), "ENODEV"));
});

Deno.test("errno: the table has one unique name per number", () => {
  const seen = new Set<string>();
  for (let errno = 1; errno <= 133; errno++) {
    const name = errnoName(errno);
    if (errno === 41 || errno === 58) {
      assert.equal(name, `E?${errno}`); // unused numbers on Linux
      continue;
    }
    assert.match(name, /^E[A-Z0-9]+$/);
    assert.ok(!seen.has(name), `duplicate ${name}`);
    seen.add(name);
    assert.equal(errnoNumber(name), errno);
  }
});
