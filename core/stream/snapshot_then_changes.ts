/** Anything changes can be subscribed to the way a Hub is (core/stream/hub.ts), e.g. a Hub or `ticks`. */
export interface Subscribable<Change> {
  subscribe(replay: number, signal: AbortSignal, filter?: (change: Change) => boolean): AsyncIterable<Change>;
}

export interface SnapshotThenChangesOptions<Change, Message> {
  changes: Subscribable<Change>;
  /** The call's signal: the stream ends when the client goes away or the server stops. */
  signal: AbortSignal;
  /** The current state, read once the subscription is open. */
  snapshot?: () => Iterable<Message>;
  /** Past changes the source still holds to send before live ones (history streams: logs, events). */
  replay?: number;
  /** The changes this stream wants; filtered at the source, so others never take room in its queue. */
  filter?: (change: Change) => boolean;
  toMessage: (change: Change) => Message;
}

/**
 * The shape of every "current state, then changes" server stream. The subscription opens first and the
 * snapshot is read after it, so a change made in between arrives (perhaps twice) instead of never; a
 * full source (HubFullError) fails the stream before anything is sent.
 */
export async function* snapshotThenChanges<Change, Message>(
  stream: SnapshotThenChangesOptions<Change, Message>,
): AsyncGenerator<Message> {
  const changes = stream.changes.subscribe(stream.replay ?? 0, stream.signal, stream.filter);
  for (const message of stream.snapshot?.() ?? []) {
    if (stream.signal.aborted) return;
    yield message;
  }
  for await (const change of changes) yield stream.toMessage(change);
}
