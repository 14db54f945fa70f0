import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { Hub, HubFullError } from "./hub.ts";
import { snapshotThenChanges } from "./snapshot_then_changes.ts";
import { ticks } from "./ticks.ts";
import { take } from "../testing/take.ts";

Deno.test("snapshot then changes: the snapshot first, then each change as its message", async () => {
  const hub = new Hub<number>({ historySize: 0, subscriberQueue: 10 });
  const controller = new AbortController();
  const stream = snapshotThenChanges({
    changes: hub,
    signal: controller.signal,
    snapshot: () => ["now 1", "now 2"],
    toMessage: (n) => `changed ${n}`,
  })[Symbol.asyncIterator]();
  assertEquals(await take(stream, 2), ["now 1", "now 2"]);
  hub.publish(3);
  assertEquals(await take(stream, 1), ["changed 3"]);
  controller.abort();
  assertEquals((await stream.next()).done, true);
  assertEquals(hub.subscriberCount, 0);
});

Deno.test("snapshot then changes: a change made while the snapshot is read is not lost", async () => {
  const hub = new Hub<number>({ historySize: 0, subscriberQueue: 10 });
  const controller = new AbortController();
  const stream = snapshotThenChanges({
    changes: hub,
    signal: controller.signal,
    snapshot: () => {
      hub.publish(1);
      return [0];
    },
    toMessage: (n) => n,
  })[Symbol.asyncIterator]();
  assertEquals(await take(stream, 2), [0, 1]);
  controller.abort();
});

Deno.test("snapshot then changes: replays history and filters at the source", async () => {
  const hub = new Hub<number>({ historySize: 10, subscriberQueue: 10 });
  for (const n of [1, 2, 3, 4]) hub.publish(n);
  const controller = new AbortController();
  const stream = snapshotThenChanges({
    changes: hub,
    signal: controller.signal,
    replay: 5,
    filter: (n) => n % 2 === 0,
    toMessage: (n) => n * 10,
  })[Symbol.asyncIterator]();
  assertEquals(await take(stream, 2), [20, 40]);
  hub.publish(5);
  hub.publish(6);
  assertEquals(await take(stream, 1), [60]);
  controller.abort();
});

Deno.test("snapshot then changes: a full hub fails the stream before the snapshot is read", async () => {
  const hub = new Hub<number>({ historySize: 0, subscriberQueue: 10, maxSubscribers: 1 });
  const controller = new AbortController();
  hub.subscribe(0, controller.signal);
  let snapshotRead = false;
  const refused = snapshotThenChanges({
    changes: hub,
    signal: controller.signal,
    snapshot: () => (snapshotRead = true, [1]),
    toMessage: (n) => n,
  });
  await assertRejects(() => refused.next(), HubFullError);
  assert(!snapshotRead, "the snapshot was read for a stream that could not subscribe");
  controller.abort();
});

Deno.test("snapshot then changes: an aborted call sends no more of the snapshot", async () => {
  const hub = new Hub<number>({ historySize: 0, subscriberQueue: 10 });
  const controller = new AbortController();
  const stream = snapshotThenChanges({
    changes: hub,
    signal: controller.signal,
    snapshot: () => [1, 2, 3],
    toMessage: (n) => n,
  })[Symbol.asyncIterator]();
  assertEquals(await take(stream, 1), [1]);
  controller.abort();
  assertEquals((await stream.next()).done, true);
  assertEquals(hub.subscriberCount, 0);
});

Deno.test("ticks: a change every interval until the signal aborts", async () => {
  const controller = new AbortController();
  const started = performance.now();
  const stream = ticks(30).subscribe(0, controller.signal)[Symbol.asyncIterator]();
  assertEquals((await take(stream, 2)).length, 2);
  assert(performance.now() - started >= 55, "two ticks of 30 ms came too soon");
  const pending = stream.next();
  controller.abort();
  assertEquals((await pending).done, true);
});
