// The one assertion module for tests, named as in Deno's std/assert but built on node:assert (JSR's
// @std/assert is unreachable here). Tests import these helpers, never node:assert itself, so every failure
// reads the same and the semantics live in one place.
import {
  type AssertPredicate,
  deepStrictEqual,
  fail as nodeFail,
  notDeepStrictEqual,
  notStrictEqual,
  ok,
  rejects,
  strictEqual,
  throws,
} from "node:assert";

/** Every helper here fails with this class, so a test can tell an assertion failure from a crash. */
export { AssertionError } from "node:assert";

/** Deep equality, strict: same prototypes, no type coercion (node's deepStrictEqual). */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  deepStrictEqual(actual, expected, message);
}

export function assertNotEquals(actual: unknown, unexpected: unknown, message?: string): void {
  notDeepStrictEqual(actual, unexpected, message);
}

/** Identity as Object.is sees it: two equal-looking objects are still different. */
export function assertStrictEquals<T>(actual: unknown, expected: T, message?: string): asserts actual is T {
  strictEqual(actual, expected, message);
}

export function assertNotStrictEquals(actual: unknown, unexpected: unknown, message?: string): void {
  notStrictEqual(actual, unexpected, message);
}

export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  ok(condition, message);
}

export function fail(message?: string): never {
  nodeFail(message);
}

export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  // A non-string would be coerced by RegExp.test and could match by accident.
  if (typeof text !== "string") fail(message ?? `expected a string to match ${pattern}, got ${typeof text}`);
  assert(pattern.test(text), message ?? `${JSON.stringify(text.slice(0, 500))} does not match ${pattern}`);
}

/**
 * Runs `fn`, which must throw, and returns the error for further checks. `expected` (an error class, a
 * RegExp for the message, an object of properties, or a validation function returning true) is checked
 * by node's own assert.throws, so it means exactly what it means there.
 */
export function assertThrows(fn: () => unknown, expected?: AssertPredicate, message?: string): Error {
  let thrown: { error: unknown } | undefined;
  try {
    fn();
  } catch (error) {
    thrown = { error };
  }
  if (!thrown) fail(message ?? "expected an exception, none was thrown");
  if (expected !== undefined) {
    throws(
      () => {
        throw thrown.error;
      },
      expected,
      message,
    );
  }
  return thrown.error as Error;
}

/**
 * Awaits `promise` (or the promise `fn` returns; a synchronous throw from `fn` counts as a rejection too),
 * which must reject, and returns the reason. `expected` is checked as node's assert.rejects checks it.
 */
export async function assertRejects(
  promiseOrFn: Promise<unknown> | (() => Promise<unknown>),
  expected?: AssertPredicate,
  message?: string,
): Promise<Error> {
  let rejected: { reason: unknown } | undefined;
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (reason) {
    rejected = { reason };
  }
  if (!rejected) fail(message ?? "expected a rejection, none happened");
  if (expected !== undefined) await rejects(Promise.reject(rejected.reason), expected, message);
  return rejected.reason as Error;
}
