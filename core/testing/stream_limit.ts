// The subscriber limit every hub-backed server stream shares (core/stream/hub.ts), checked through the API.
import { Code, ConnectError } from "@connectrpc/connect";
import { assertEquals, assertMatch, assertRejects } from "./assert.ts";
import { waitFor } from "./harness/wait.ts";

export interface StreamLimitCheck {
  /** Opens the stream under test (a client call) with the signal its client aborts it by. */
  open: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** Streams open at the source (the hub's subscriberCount). */
  subscribers: () => number;
  /** The hub's limit; 64 unless the service chose another. */
  limit?: number;
}

/**
 * Opens `limit` streams, then one more, which must fail with RESOURCE_EXHAUSTED; once their clients go
 * away, every subscription must be given back and a new stream must open.
 */
export async function assertStreamLimit(check: StreamLimitCheck): Promise<void> {
  const limit = check.limit ?? 64;
  const controllers: AbortController[] = [];
  const open = () => {
    const controller = new AbortController();
    controllers.push(controller);
    return check.open(controller.signal)[Symbol.asyncIterator]();
  };
  try {
    // The first read starts a call; it may wait for a change, so it is not awaited.
    const reads = Array.from({ length: limit }, () => open().next().catch(() => undefined));
    await waitFor(() => check.subscribers() === limit, {
      what: `${limit} open streams`,
      describe: () => `${check.subscribers()} open`,
    });
    const refused = ConnectError.from(await assertRejects(() => open().next()));
    assertEquals(Code[refused.code], Code[Code.ResourceExhausted]);
    assertMatch(refused.rawMessage, new RegExp(`too many open streams \\(limit ${limit}\\)`));
    assertEquals(check.subscribers(), limit);

    for (const controller of controllers) controller.abort();
    await Promise.all(reads);
    await waitFor(() => check.subscribers() === 0, {
      what: "aborted streams to give their subscriptions back",
      describe: () => `${check.subscribers()} still open`,
    });
    const again = open();
    const read = again.next().catch(() => undefined);
    await waitFor(() => check.subscribers() === 1, { what: "a new stream once the others closed" });
    controllers.at(-1)!.abort();
    await read;
  } finally {
    for (const controller of controllers) controller.abort();
  }
}
