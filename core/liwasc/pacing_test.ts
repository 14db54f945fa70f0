import { assert, assertEquals, assertRejects, assertStrictEquals } from "../testing/assert.ts";
import { Errno, SysError } from "../sys/errno.ts";
import { sendPaced } from "./pacing.ts";

Deno.test("pacing: every item once, in order; items with nothing to send cost no budget", async () => {
  const seen: number[] = [];
  const sent = await sendPaced({
    items: [1, 2, 3, 4, 5, 6],
    ratePerSecond: 100_000,
    send: (item) => {
      seen.push(item);
      return item % 2 === 0;
    },
  });
  assertEquals(seen, [1, 2, 3, 4, 5, 6]);
  assertStrictEquals(sent, 3);
});

Deno.test("pacing: never faster than the rate", async () => {
  const started = performance.now();
  // At 1000/s, the 21st send is due 20 ms after the first.
  await sendPaced({ items: Array.from({ length: 21 }, (_, i) => i), ratePerSecond: 1000, send: () => true });
  const elapsed = performance.now() - started;
  assert(elapsed >= 19, `21 sends at 1000/s took ${elapsed.toFixed(1)} ms`);
});

Deno.test("pacing: a full transmit queue sends the same item again later; other errors end it", async () => {
  const attempts: string[] = [];
  let full = 2;
  const sent = await sendPaced({
    items: ["a", "b"],
    ratePerSecond: 100_000,
    send: (item) => {
      attempts.push(item);
      if (item === "b" && full-- > 0) throw new SysError("send", "scan0", Errno.EAGAIN);
      return true;
    },
  });
  assertEquals(attempts, ["a", "b", "b", "b"]);
  assertStrictEquals(sent, 2);
  await assertRejects(
    sendPaced({
      items: [1],
      ratePerSecond: 1,
      send: () => {
        throw new SysError("send", "scan0", Errno.ENODEV);
      },
    }),
    SysError,
  );
});

Deno.test("pacing: cancelling stops before the rest is sent", async () => {
  const stop = new AbortController();
  let sent = 0;
  const done = sendPaced({
    items: Array.from({ length: 1000 }, (_, i) => i),
    ratePerSecond: 100,
    signal: stop.signal,
    send: () => ++sent > 0,
  });
  setTimeout(() => stop.abort(), 30);
  assert(await done < 1000);
  assert(sent < 1000);
});
