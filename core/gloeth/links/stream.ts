// Records over a byte stream (the TLS connection): a 4-byte big-endian length, then that many bytes.
// A length over the limit ends the link: a peer cannot make us buffer more than one record's worth.

export const MAX_RECORD = 256 * 1024;

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordError";
  }
}

export interface ByteStream {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
}

/** The fill buffer's first size; it grows (up to the queue limit) while a slow write lets records pile up. */
const FILL_START = 256 * 1024;
/** A fill buffer up to this size is kept for the next batch; a bigger one (a burst) is let go. */
const FILL_KEEP = 1024 * 1024;

/**
 * Writes records, coalescing those queued while a write is in flight into one write (fewer syscalls).
 * send() copies each record, length first, straight into the batch the next write takes: the caller's
 * bytes are only lent for the call (a view into the frame path's buffer, say), and a record costs no
 * allocation. Two buffers take turns: one being written, one filling. A failed write (the peer reset,
 * the link was closed under it) is reported once through `onError` and ends the writer: it never
 * surfaces as an unhandled rejection, which would end the whole process.
 */
export class RecordWriter {
  #filling = new Uint8Array(FILL_START);
  #filled = 0;
  /** The buffer of the last write, reused for filling once that write is done. */
  #spare: Uint8Array<ArrayBuffer> | undefined;
  #inFlight = 0;
  #flushing: Promise<void> | undefined;
  #failed: Error | undefined;
  /** Waiters of below(): woken when the queue shrinks to their mark or the writer fails. */
  #waiters: { bytes: number; resolve: () => void }[] = [];

  constructor(
    private readonly stream: ByteStream,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  /** False when the queue is full (a slow peer) or the writer failed: the caller drops the record. */
  send(record: Uint8Array): boolean {
    if (record.length > MAX_RECORD) {
      throw new RecordError(`record of ${record.length} bytes over ${MAX_RECORD}`);
    }
    const size = record.length + 4;
    if (this.#failed || this.queuedBytes + size > this.maxQueuedBytes) return false;
    if (this.#filled + size > this.#filling.length) this.#grow(this.#filled + size);
    const at = this.#filled, buffer = this.#filling, length = record.length;
    buffer[at] = length >>> 24;
    buffer[at + 1] = (length >>> 16) & 0xff;
    buffer[at + 2] = (length >>> 8) & 0xff;
    buffer[at + 3] = length & 0xff;
    buffer.set(record, at + 4);
    this.#filled += size;
    this.#flushing ??= this.#flush().catch((error) => {
      this.#failed = error instanceof Error ? error : new Error(String(error));
      this.#filled = 0;
      this.#inFlight = 0;
      this.#wakeWaiters();
      this.onError(this.#failed);
    });
    return true;
  }

  #grow(needed: number): void {
    const grown = new Uint8Array(Math.max(needed, 2 * this.#filling.length));
    grown.set(this.#filling.subarray(0, this.#filled));
    this.#filling = grown;
  }

  /** Bytes accepted and not yet written (what a sender reading faster than the link piles up). */
  get queuedBytes(): number {
    return this.#filled + this.#inFlight;
  }

  /**
   * Resolves once at most `bytes` are queued (at once if so already) or the writer has failed: a
   * producer waits here instead of filling the queue until records are dropped.
   */
  below(bytes: number): Promise<void> {
    if (this.queuedBytes <= bytes || this.#failed) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiters.push({ bytes, resolve });
    return promise;
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const failed = this.#failed !== undefined;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!failed && this.queuedBytes > waiter.bytes) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once everything queued so far is written; rejects if a write failed. */
  async drained(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#failed) throw this.#failed;
  }

  async #flush(): Promise<void> {
    try {
      while (this.#filled > 0) {
        const buffer = this.#filling;
        const batch = buffer.subarray(0, this.#filled);
        this.#inFlight = this.#filled;
        this.#filling = this.#spare ?? new Uint8Array(FILL_START);
        this.#spare = undefined;
        this.#filled = 0;
        for (let written = 0; written < batch.length;) {
          written += await this.stream.write(batch.subarray(written));
        }
        // Counted until written: bytes in flight are held in memory too.
        this.#inFlight = 0;
        if (buffer.length <= FILL_KEEP) this.#spare = buffer;
        this.#wakeWaiters();
      }
    } finally {
      this.#flushing = undefined;
    }
  }
}

/** Reads records; returns null at a clean end of stream, throws RecordError on a bad length or cut record. */
export class RecordReader {
  #buffer = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;

  /**
   * `maxRecord` can start small (a handshake's records are a few hundred bytes) so a stranger cannot make
   * us buffer a full-size record before proving anything; raise it once the peer is authenticated.
   */
  constructor(private readonly stream: ByteStream, public maxRecord = MAX_RECORD) {}

  /** Whether a whole record is already buffered, so next() will not need the stream. */
  get hasRecord(): boolean {
    const available = this.#end - this.#start;
    if (available < 4) return false;
    const buffer = this.#buffer, start = this.#start;
    const length = ((buffer[start] << 24) | (buffer[start + 1] << 16) | (buffer[start + 2] << 8) |
      buffer[start + 3]) >>> 0;
    return available >= 4 + length;
  }

  /**
   * The next record: a view into the reader's buffer, valid until the next call (copy what is kept).
   * Records already buffered are returned without touching the stream.
   */
  async next(): Promise<Uint8Array | null> {
    if (!await this.#fill(4)) return null;
    const buffer = this.#buffer, start = this.#start;
    const length = ((buffer[start] << 24) | (buffer[start + 1] << 16) | (buffer[start + 2] << 8) |
      buffer[start + 3]) >>> 0;
    if (length > this.maxRecord) throw new RecordError(`record length ${length} over ${this.maxRecord}`);
    if (!await this.#fill(4 + length)) throw new RecordError("stream ended inside a record");
    const record = this.#buffer.subarray(this.#start + 4, this.#start + 4 + length);
    this.#start += 4 + length;
    return record;
  }

  /** Makes `count` bytes available from #start; false if the stream ends before any byte of them. */
  async #fill(count: number): Promise<boolean> {
    while (this.#end - this.#start < count) {
      if (this.#start === this.#end) this.#start = this.#end = 0; // all consumed: nothing to move
      if (this.#start + count > this.#buffer.length) {
        // Move what is buffered to the front, into a bigger buffer if one record needs it.
        const pending = this.#buffer.subarray(this.#start, this.#end);
        const target = this.#buffer.length >= count ? this.#buffer : new Uint8Array(count * 2);
        target.set(pending);
        this.#buffer = target;
        this.#end -= this.#start;
        this.#start = 0;
      }
      const read = await this.stream.read(this.#buffer.subarray(this.#end));
      if (read === null) {
        if (this.#end === this.#start) return false;
        throw new RecordError("stream ended inside a record");
      }
      this.#end += read;
    }
    return true;
  }
}
