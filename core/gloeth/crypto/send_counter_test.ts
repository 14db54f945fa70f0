import { CounterExhaustedError, LAST_COUNTER, SendCounter } from "./send_counter.ts";
import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";

Deno.test("send counter: counts from 0", () => {
  const counter = new SendCounter();
  assertEquals([counter.next(), counter.next(), counter.next()], [0, 1, 2]);
});

Deno.test("send counter: hands out 2^53 - 1 once, then refuses for good instead of wrapping", () => {
  assertEquals(LAST_COUNTER, 2 ** 53 - 1);
  const counter = new SendCounter(LAST_COUNTER - 1);
  assertEquals(counter.next(), 2 ** 53 - 2);
  assertEquals(counter.next(), 2 ** 53 - 1);
  assertThrows(() => counter.next(), CounterExhaustedError);
  assertThrows(() => counter.next(), CounterExhaustedError);
});

Deno.test("send counter: a first value that is not a counter is refused", () => {
  for (const bad of [-1, 0.5, NaN, 2 ** 53]) assertThrows(() => new SendCounter(bad), RangeError);
});
