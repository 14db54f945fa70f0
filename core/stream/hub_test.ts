import { assertEquals } from "../testing/assert.ts";
import { Hub, HubFullError } from "./hub.ts";
import { take } from "../testing/take.ts";

Deno.test("hub: replays the requested history, then live items", async () => {
  const hub = new Hub<number>({ historySize: 5, subscriberQueue: 10 });
  for (let i = 1; i <= 8; i++) hub.publish(i);
  const controller = new AbortController();
  const stream = hub.subscribe(3, controller.signal)[Symbol.asyncIterator]();
  assertEquals(await take(stream, 3), [6, 7, 8]);
  hub.publish(9);
  assertEquals(await take(stream, 1), [9]);
  controller.abort();
  assertEquals((await stream.next()).done, true);
  assertEquals(hub.subscriberCount, 0);
});

Deno.test("hub: a filter applies to history and live items", async () => {
  const hub = new Hub<number>({ historySize: 10, subscriberQueue: 10 });
  for (let i = 1; i <= 6; i++) hub.publish(i);
  const controller = new AbortController();
  const stream = hub.subscribe(100, controller.signal, (n) => n % 2 === 0)[Symbol.asyncIterator]();
  assertEquals(await take(stream, 3), [2, 4, 6]);
  hub.publish(7);
  hub.publish(8);
  assertEquals(await take(stream, 1), [8]);
  controller.abort();
});

Deno.test("hub: a slow subscriber loses its oldest items, counted, never unbounded", async () => {
  const hub = new Hub<number>({ historySize: 2, subscriberQueue: 3 });
  const controller = new AbortController();
  const stream = hub.subscribe(0, controller.signal)[Symbol.asyncIterator]();
  const first = stream.next(); // registers the subscriber and waits
  hub.publish(0);
  assertEquals((await first).value, 0);
  for (let i = 1; i <= 10; i++) hub.publish(i);
  assertEquals(hub.dropped, 7);
  assertEquals(await take(stream, 3), [8, 9, 10]);
  controller.abort();
});

Deno.test("hub: subscriptions beyond the limit are refused at once", () => {
  const hub = new Hub<number>({ historySize: 2, subscriberQueue: 3, maxSubscribers: 2 });
  const controller = new AbortController();
  const a = hub.subscribe(0, controller.signal)[Symbol.asyncIterator]();
  const b = hub.subscribe(0, controller.signal)[Symbol.asyncIterator]();
  void a.next();
  void b.next();
  let refused = false;
  try {
    hub.subscribe(0, controller.signal);
  } catch (error) {
    refused = error instanceof HubFullError;
  }
  assertEquals(refused, true);
  controller.abort();
});

Deno.test("hub: an aborted subscription is gone even if never iterated", () => {
  const hub = new Hub<number>({ historySize: 2, subscriberQueue: 3, maxSubscribers: 1 });
  const controller = new AbortController();
  hub.subscribe(0, controller.signal);
  assertEquals(hub.subscriberCount, 1);
  controller.abort();
  assertEquals(hub.subscriberCount, 0);
  hub.subscribe(0, new AbortController().signal);
});
