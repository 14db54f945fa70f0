import { assertEquals, assertThrows } from "../../testing/assert.ts";
import {
  LockConflictError,
  type LockRequest,
  LockTable,
  requestedTimeout,
  TooManyLocksError,
} from "./lock_table.ts";

const request = (root: string, more: Partial<LockRequest> = {}): LockRequest => ({
  root,
  depth: "0",
  scope: "exclusive",
  owner: "",
  principal: "token:admin",
  timeoutSeconds: 60,
  ...more,
});

Deno.test("lock table: exclusive conflicts with anything overlapping, shared with exclusive only", () => {
  const table = new LockTable();
  const collection = table.lock(request("/c", { depth: "infinity" }));
  assertThrows(() => table.lock(request("/c/x")), LockConflictError);
  assertThrows(() => table.lock(request("/c/x", { scope: "shared" })), LockConflictError);
  assertThrows(() => table.lock(request("/", { depth: "infinity", scope: "shared" })), LockConflictError);
  table.lock(request("/", { depth: "0" })); // depth 0 on the root does not reach /c
  table.lock(request("/cx"));
  table.unlock(collection.token);
  const shared = table.lock(request("/c/x", { scope: "shared" }));
  table.lock(request("/c/x", { scope: "shared", principal: "user:other" }));
  assertThrows(() => table.lock(request("/c/x")), LockConflictError);
  assertThrows(() => table.lock(request("/c", { depth: "infinity" })), LockConflictError);
  assertEquals(table.covering("/c/x").length, 2);
  assertEquals(table.covering("/c/x").includes(shared), true);
});

Deno.test("lock table: locks expire by their timeout, clamped, and refresh restarts it", () => {
  let now = 0;
  const table = new LockTable({ maxTimeoutSeconds: 100, now: () => now });
  const lock = table.lock(request("/a", { timeoutSeconds: 1e9 }));
  assertEquals(lock.timeoutSeconds, 100);
  now = 99_000;
  assertEquals(table.secondsLeft(lock), 1);
  table.refresh(lock.token, 50);
  now = 148_000;
  assertEquals(table.get(lock.token)?.token, lock.token);
  now = 149_000;
  assertEquals(table.get(lock.token), undefined);
  assertEquals(table.covering("/a"), []);
  table.lock(request("/a")); // the expired lock no longer conflicts
});

Deno.test("lock table: which locks guard a change, and which of them a request satisfies", () => {
  const table = new LockTable();
  const parent = table.lock(request("/p"));
  const member = table.lock(request("/p/m/deep"));
  const guarding = (path: string, membership: boolean, subtree: boolean) =>
    table.guarding(path, { membership, subtree }).map((lock) => lock.root).sort();
  assertEquals(guarding("/p/new", false, false), []);
  assertEquals(guarding("/p/new", true, false), ["/p"]);
  assertEquals(guarding("/p/m", true, true), ["/p", "/p/m/deep"]);
  assertEquals(guarding("/p", false, false), ["/p"]);
  const guards = table.guarding("/p/m", { membership: true, subtree: true });
  assertEquals(table.unsatisfied(guards, new Set([parent.token]), "token:admin"), [member]);
  assertEquals(table.unsatisfied(guards, new Set([parent.token, member.token]), "token:admin"), []);
  assertEquals(table.unsatisfied(guards, new Set([parent.token, member.token]), "user:other").length, 2);
  table.forget("/p/m");
  assertEquals(table.get(member.token), undefined);
  assertEquals(table.get(parent.token), parent);
});

Deno.test("lock table: one shared token is enough for a resource under several shared locks", () => {
  const table = new LockTable();
  const mine = table.lock(request("/s", { scope: "shared" }));
  table.lock(request("/s", { scope: "shared", principal: "user:other" }));
  const guards = table.guarding("/s", { membership: false, subtree: false });
  assertEquals(table.unsatisfied(guards, new Set([mine.token]), "token:admin"), []);
  assertEquals(table.unsatisfied(guards, new Set(), "token:admin").length, 2);
});

Deno.test("lock table: a bounded number of locks", () => {
  const table = new LockTable({ maxLocks: 2 });
  table.lock(request("/1"));
  table.lock(request("/2"));
  assertThrows(() => table.lock(request("/3")), TooManyLocksError);
});

Deno.test("lock table: the Timeout header", () => {
  assertEquals(requestedTimeout("Second-600", 3600), 600);
  assertEquals(requestedTimeout("Infinite, Second-4100000000", 3600), 3600);
  assertEquals(requestedTimeout("Second-x, second-30", 3600), 30);
  assertEquals(requestedTimeout("Second-99999999999", 3600), undefined);
  assertEquals(requestedTimeout(undefined, 3600), undefined);
});
