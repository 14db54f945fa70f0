// Assertions for Deno tests on top of node:assert (JSR's @std/assert is unreachable here).
import { deepStrictEqual, ok } from "node:assert";

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  deepStrictEqual(actual, expected, message);
}

export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  ok(condition, message);
}

export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  ok(pattern.test(text), message ?? `${JSON.stringify(text.slice(0, 500))} does not match ${pattern}`);
}

/** Runs `fn`, which must throw; returns the error for further checks. */
export function assertThrows(fn: () => unknown, type?: new (...args: never[]) => Error): Error {
  try {
    fn();
  } catch (error) {
    if (type && !(error instanceof type)) throw new Error(`expected ${type.name}, got ${error}`);
    return error as Error;
  }
  throw new Error("expected an exception, none was thrown");
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  type?: new (...args: never[]) => Error,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (type && !(error instanceof type)) throw new Error(`expected ${type.name}, got ${error}`);
    return error as Error;
  }
  throw new Error("expected a rejection, none happened");
}
