// Each helper must fail when it should: an assertion that cannot fail would turn every test using it green.
import {
  assert,
  assertEquals,
  AssertionError,
  assertMatch,
  assertNotEquals,
  assertNotStrictEquals,
  assertRejects,
  assertStrictEquals,
  assertThrows,
  fail,
} from "./assert.ts";

/** Runs `check`, which must fail with an AssertionError; a plain Error would read as a crash. */
function failsWithAssertion(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof AssertionError) return;
    throw new Error(`failed, but not with an AssertionError: ${error}`);
  }
  throw new Error("did not fail");
}

async function rejectsWithAssertion(check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof AssertionError) return;
    throw new Error(`rejected, but not with an AssertionError: ${error}`);
  }
  throw new Error("did not reject");
}

Deno.test("assert: equality helpers tell identity from deep equality", () => {
  const same = { a: 1 };
  assertStrictEquals(same, same);
  assertStrictEquals(NaN, NaN);
  failsWithAssertion(() => assertStrictEquals({}, {}));
  failsWithAssertion(() => assertStrictEquals<unknown>(1, "1"));
  failsWithAssertion(() => assertStrictEquals(0, -0));
  assertNotStrictEquals({}, {});
  failsWithAssertion(() => assertNotStrictEquals(same, same));

  assertEquals({ a: [1, 2] }, { a: [1, 2] });
  failsWithAssertion(() => assertEquals<unknown>({ a: 1 }, { a: "1" }));
  failsWithAssertion(() => assertEquals<unknown>(new Uint8Array([1]), [1]));
  assertNotEquals({ a: 1 }, { a: 2 });
  failsWithAssertion(() => assertNotEquals({ a: 1 }, { a: 1 }));
});

Deno.test("assert: truthiness, fail and match", () => {
  assert(1);
  failsWithAssertion(() => assert(0));
  failsWithAssertion(() => assert(""));
  failsWithAssertion(() => fail("on purpose"));
  assertMatch("abc", /b/);
  failsWithAssertion(() => assertMatch("abc", /d/));
  failsWithAssertion(() => assertMatch(123 as unknown as string, /1/));
});

Deno.test("assert: assertThrows returns the error and checks what was thrown", () => {
  const boom = new RangeError("out of range: 7");
  const thrower = () => {
    throw boom;
  };
  assertStrictEquals(assertThrows(thrower), boom);
  assertStrictEquals(assertThrows(thrower, RangeError), boom);
  assertStrictEquals(assertThrows(thrower, /range: 7/), boom);
  assertStrictEquals(assertThrows(thrower, { name: "RangeError", message: "out of range: 7" }), boom);
  assertStrictEquals(assertThrows(thrower, (error) => error === boom), boom);

  failsWithAssertion(() => assertThrows(() => {}));
  failsWithAssertion(() => assertThrows(() => {}, RangeError));
  failsWithAssertion(() => assertThrows(thrower, /range: 8/));
  failsWithAssertion(() => assertThrows(thrower, { message: "out of range" }));
  // A validation function must return true, not merely something truthy.
  failsWithAssertion(() => assertThrows(thrower, () => 1 as unknown as boolean));
  failsWithAssertion(() => assertThrows(thrower, TypeError));
});

Deno.test("assert: assertRejects takes a promise or a function and checks the reason", async () => {
  const boom = new TypeError("bad type");
  assertStrictEquals(await assertRejects(Promise.reject(boom)), boom);
  assertStrictEquals(await assertRejects(() => Promise.reject(boom), TypeError), boom);
  assertStrictEquals(await assertRejects(Promise.reject(boom), /bad type/), boom);
  assertStrictEquals(await assertRejects(Promise.reject(boom), (error) => error === boom), boom);

  await rejectsWithAssertion(() => assertRejects(Promise.resolve(1)));
  await rejectsWithAssertion(() => assertRejects(async () => {}, TypeError));
  await rejectsWithAssertion(() => assertRejects(Promise.reject(boom), /good type/));
  await rejectsWithAssertion(() => assertRejects(Promise.reject(boom), { message: "other" }));
});
