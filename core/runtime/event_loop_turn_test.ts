import { assert } from "../testing/assert.ts";
import { EventLoopTurns } from "./event_loop_turn.ts";

Deno.test("event loop turns: a loop of resolved awaits lets finished I/O and timers in", async () => {
  using turns = new EventLoopTurns();
  let timerFired = false;
  setTimeout(() => timerFired = true, 1);
  // Without the turns this loop would never see the timer: every await below is already resolved.
  const deadline = performance.now() + 5000;
  while (!timerFired && performance.now() < deadline) {
    await Promise.resolve();
    await turns.next();
  }
  assert(timerFired, "the timer never ran");
});

Deno.test("event loop turns: closing releases waiters and the process", async () => {
  const turns = new EventLoopTurns();
  const pending = turns.next();
  turns.close();
  await pending;
});
