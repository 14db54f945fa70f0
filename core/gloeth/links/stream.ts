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

/** Writes records, coalescing those queued while a write is in flight into one write (fewer syscalls). */
export class RecordWriter {
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #flushing: Promise<void> | undefined;

  constructor(private readonly stream: ByteStream, private readonly maxQueuedBytes = 8 * 1024 * 1024) {}

  /** False when the queue is full (a slow peer): the caller drops the record and counts it. */
  send(record: Uint8Array): boolean {
    if (record.length > MAX_RECORD) {
      throw new RecordError(`record of ${record.length} bytes over ${MAX_RECORD}`);
    }
    if (this.#queuedBytes + record.length + 4 > this.maxQueuedBytes) return false;
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, record.length);
    this.#queue.push(header, record);
    this.#queuedBytes += record.length + 4;
    this.#flushing ??= this.#flush();
    return true;
  }

  /** Resolves once everything queued so far is written (or rejects with the write's error). */
  async drained(): Promise<void> {
    while (this.#flushing) await this.#flushing;
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

  constructor(private readonly stream: ByteStream) {}

  async next(): Promise<Uint8Array | null> {
    if (!await this.#fill(4)) return null;
    const length = new DataView(this.#buffer.buffer, this.#start, 4).getUint32(0);
    if (length > MAX_RECORD) throw new RecordError(`record length ${length} over ${MAX_RECORD}`);
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
