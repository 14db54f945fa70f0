import { assert, assertEquals } from "../../testing/assert.ts";
import { SendWindow } from "./send_window.ts";

Deno.test("send_window: the window bounds what is unanswered, grows per answer, halves on a loss", () => {
  const window = new SendWindow({ maxInFlight: 100, ratePerSecond: 1e9, initialWindow: 10 });
  const now = performance.now();
  assertEquals(window.budget(now, 0), 10);
  assertEquals(window.budget(now, 4), 6);
  for (let i = 0; i < 10; i++) window.sent();
  for (let i = 0; i < 10; i++) window.answered();
  assertEquals(window.window, 20);
  for (let i = 0; i < 500; i++) window.answered();
  assertEquals(window.window, 100, "never past maxInFlight");
  window.expired(true);
  assertEquals(window.window, 50);
  window.expired(false);
  assertEquals(window.window, 50, "silence from a host that never answered is a filter, not a loss");
  for (let i = 0; i < 20; i++) window.expired(true);
  assertEquals(window.window, 8, "halving stops at the floor");
});

Deno.test("send_window: the rate ceiling allows a 10 ms burst, then refills with time", () => {
  const window = new SendWindow({ maxInFlight: 10_000, ratePerSecond: 1000, initialWindow: 10_000 });
  const start = performance.now();
  assertEquals(window.budget(start, 0), 10);
  for (let i = 0; i < 10; i++) window.sent();
  assertEquals(window.budget(start, 10), 0);
  assert(Math.abs(window.nextSendInMs(start) - 1) < 1e-9);
  assertEquals(window.budget(start + 5, 10), 5);
  assertEquals(window.budget(start + 1000, 10), 10, "an idle stretch banks no more than the burst");
});

Deno.test("send_window: an answer that frees a quarter of the window ends the sender's wait", async () => {
  const window = new SendWindow({ maxInFlight: 8, ratePerSecond: 1e9, initialWindow: 8 });
  for (let i = 0; i < 8; i++) window.sent();
  window.budget(performance.now(), 8);
  const started = performance.now();
  const waiting = window.wait(10_000);
  window.answered();
  window.answered();
  await waiting;
  assert(performance.now() - started < 5_000, "the wait ended on the answers, not the timer");
  const aborted = new AbortController();
  const stopped = window.wait(10_000, aborted.signal);
  aborted.abort();
  await stopped;
});
