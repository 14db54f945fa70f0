import { assert, assertRejects, assertStrictEquals } from "../assert.ts";
import { settlesWithin, waitFor, withTimeout } from "./wait.ts";

Deno.test("wait: waitFor returns the first value that is not undefined or false", async () => {
  let calls = 0;
  assertStrictEquals(await waitFor(() => ++calls >= 3 && `after ${calls}`, { intervalMs: 1 }), "after 3");
  assertStrictEquals(await waitFor(async () => await Promise.resolve(0)), 0);
});

Deno.test("wait: a waitFor timeout names what was awaited and adds describe()'s account", async () => {
  await assertRejects(
    waitFor(() => undefined, {
      timeoutMs: 30,
      intervalMs: 5,
      what: "the answer",
      describe: () => "state: none",
    }),
    (error: unknown) => {
      assert(error instanceof Error);
      assertStrictEquals(error.message, "timed out after 30 ms waiting for the answer\nstate: none");
      return true;
    },
  );
  await assertRejects(
    waitFor(() => false, { timeoutMs: 10 }),
    /^Error: timed out after 10 ms waiting for condition$/,
  );
});

Deno.test("wait: withTimeout and settlesWithin leave no timer behind either way", async () => {
  assertStrictEquals(await withTimeout(Promise.resolve(7), 1_000, "seven"), 7);
  await assertRejects(withTimeout(new Promise(() => {}), 10, "never"), /timed out after 10 ms: never/);
  assertStrictEquals(await settlesWithin(Promise.reject(new Error("x")), 1_000), true);
  assertStrictEquals(await settlesWithin(new Promise(() => {}), 10), false);
});
