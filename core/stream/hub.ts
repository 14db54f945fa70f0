/**
 * A replay-then-live broadcast: the last `historySize` items are kept, a subscriber first receives
 * (part of) that history and then every new item. Each subscriber has a bounded queue; a subscriber that
 * falls behind loses its oldest queued items (counted), so a slow browser can never grow the server's
 * memory or stall the publisher.
 */
export interface HubOptions {
  historySize: number;
  /** Queue bound per subscriber. */
  subscriberQueue: number;
  /** Open subscriptions allowed at once; more are refused with HubFullError. */
  maxSubscribers?: number;
}

export class HubFullError extends Error {
  constructor(limit: number) {
    super(`too many open streams (limit ${limit})`);
    this.name = "HubFullError";
  }
}

export class Hub<T> {
  // A ring: publishing stays O(1) however long the history (a busy boot server publishes per request).
  #history: T[] = [];
  #next = 0;
  #subscribers = new Set<Subscriber<T>>();
  #dropped = 0;

  constructor(private readonly options: HubOptions) {}

  publish(item: T): void {
    if (this.options.historySize > 0) {
      if (this.#history.length < this.options.historySize) this.#history.push(item);
      else this.#history[this.#next] = item;
      this.#next = (this.#next + 1) % this.options.historySize;
    }
    for (const subscriber of this.#subscribers) {
      if (!subscriber.offer(item)) this.#dropped++;
    }
  }

  /** Items dropped across all subscribers because they read too slowly. */
  get dropped(): number {
    return this.#dropped;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Replays up to `replay` past items that pass `filter`, then yields live ones until `signal` aborts or
   * the consumer stops iterating. Throws HubFullError right away when the subscriber limit is reached.
   */
  subscribe(
    replay: number,
    signal: AbortSignal,
    filter: (item: T) => boolean = () => true,
  ): AsyncIterable<T> {
    const limit = this.options.maxSubscribers ?? 64;
    if (this.#subscribers.size >= limit) throw new HubFullError(limit);
    const subscriber = new Subscriber<T>(this.options.subscriberQueue, filter);
    const ordered = this.#history.length < this.options.historySize
      ? this.#history
      : [...this.#history.slice(this.#next), ...this.#history.slice(0, this.#next)];
    const past = ordered.filter(filter);
    for (const item of past.slice(Math.max(0, past.length - replay))) subscriber.offer(item);
    this.#subscribers.add(subscriber);
    // Abort ends the subscription even if the consumer never started iterating.
    const onAbort = () => {
      subscriber.close();
      this.#subscribers.delete(subscriber);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    return this.#drain(subscriber, () => {
      signal.removeEventListener("abort", onAbort);
      this.#subscribers.delete(subscriber);
    });
  }

  async *#drain(subscriber: Subscriber<T>, done: () => void): AsyncGenerator<T> {
    try {
      for (;;) {
        const item = await subscriber.next();
        if (item === undefined) return;
        yield item.value;
      }
    } finally {
      done();
    }
  }
}

class Subscriber<T> {
  #queue: T[] = [];
  #waiting: ((item: { value: T } | undefined) => void) | undefined;
  #closed = false;

  constructor(private readonly bound: number, private readonly filter: (item: T) => boolean) {}

  /** Returns false when an older item had to be dropped to make room. */
  offer(item: T): boolean {
    if (this.#closed || !this.filter(item)) return true;
    if (this.#waiting) {
      const wake = this.#waiting;
      this.#waiting = undefined;
      wake({ value: item });
      return true;
    }
    this.#queue.push(item);
    if (this.#queue.length <= this.bound) return true;
    this.#queue.shift();
    return false;
  }

  next(): Promise<{ value: T } | undefined> {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift() as T });
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting = resolve);
  }

  close(): void {
    this.#closed = true;
    const wake = this.#waiting;
    this.#waiting = undefined;
    wake?.(undefined);
  }
}
