import { assertStrictEquals } from "../testing/assert.ts";
import { sleep, WakeableSleep } from "./sleep.ts";

/** Which comes first: `promise` or 2 s (the guard timer is cancelled either way, so nothing leaks). */
async function endsSoon(promise: Promise<void>): Promise<boolean> {
  const guard = new AbortController();
  const result = await Promise.race([promise.then(() => true), sleep(2000, guard.signal).then(() => false)]);
  guard.abort();
  return result;
}

Deno.test("WakeableSleep: wake() and the signal each end a long sleep; a wake with none running is not kept", async () => {
  const nap = new WakeableSleep();
  nap.wake(); // nothing sleeping: not remembered
  const stop = new AbortController();
  const woken = nap.sleep(60_000, stop.signal);
  nap.wake();
  assertStrictEquals(await endsSoon(woken), true, "wake() ended the sleep");

  const stopped = nap.sleep(60_000, stop.signal);
  stop.abort();
  assertStrictEquals(await endsSoon(stopped), true, "the signal ended the sleep (resolved, not rejected)");

  const early = new AbortController();
  const kept = nap.sleep(60_000, early.signal);
  assertStrictEquals(await endsSoon(kept), false, "an earlier wake() was not kept for this sleep");
  early.abort();
  await kept;
});
