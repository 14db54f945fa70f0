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

/**
 * Writes records, coalescing those queued while a write is in flight into one write (fewer syscalls). A
 * failed write (the peer reset, the link was closed under it) is reported once through `onError` and
 * ends the writer: it never surfaces as an unhandled rejection, which would end the whole process.
 */
export class RecordWriter {
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #flushing: Promise<void> | undefined;
  #failed: Error | undefined;

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
    if (this.#failed || this.#queuedBytes + record.length + 4 > this.maxQueuedBytes) return false;
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, record.length);
    this.#queue.push(header, record);
    this.#queuedBytes += record.length + 4;
    this.#flushing ??= this.#flush().catch((error) => {
      this.#failed = error instanceof Error ? error : new Error(String(error));
      this.#queue = [];
      this.#queuedBytes = 0;
      this.onError(this.#failed);
    });
    return true;
  }

  /** Resolves once everything queued so far is written; rejects if a write failed. */
  async drained(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#failed) throw this.#failed;
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const parts = this.#queue;
        this.#queue = [];
        const total = parts.reduce((n, part) => n + part.length, 0);
        const batch = new Uint8Array(total);
        let offset = 0;
        for (const part of parts) {
          batch.set(part, offset);
          offset += part.length;
        }
        for (let written = 0; written < batch.length;) {
          written += await this.stream.write(batch.subarray(written));
        }
        // Counted until written: bytes in flight are held in memory too.
        this.#queuedBytes -= total;
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

  async next(): Promise<Uint8Array | null> {
    if (!await this.#fill(4)) return null;
    const length = new DataView(this.#buffer.buffer, this.#start, 4).getUint32(0);
    if (length > this.maxRecord) throw new RecordError(`record length ${length} over ${this.maxRecord}`);
    if (!await this.#fill(4 + length)) throw new RecordError("stream ended inside a record");
    const record = this.#buffer.slice(this.#start + 4, this.#start + 4 + length);
    this.#start += 4 + length;
    return record;
  }

  /** Makes `count` bytes available from #start; false if the stream ends before any byte of them. */
  async #fill(count: number): Promise<boolean> {
    while (this.#end - this.#start < count) {
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
