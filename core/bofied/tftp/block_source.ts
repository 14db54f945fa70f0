/** What a transfer reads blocks from; a Uint8Array is one. */
export interface BlockSource {
  readonly length: number;
  subarray(start: number, end: number): Uint8Array;
}

// Read ahead at least this much: 44 blocks of 1468 bytes per read instead of a seek and a read per block.
const minimumReadAhead = 64 << 10;

/**
 * A file too large to hold in memory, read with sync reads a buffer ahead: a read is a page-cache copy,
 * cheaper than a nonblocking FFI hop, and memory stays one buffer (64 KiB, or one run of blocks if
 * larger) per transfer however many machines fetch a large image. Blocks come in order, so the buffer
 * serves many of them per read; a resent window is still in it, or is read again.
 */
export class FileBlocks implements BlockSource, Disposable {
  readonly #buffer: Uint8Array;
  // The file's bytes [#start, #start + #filled) are in the buffer.
  #start = 0;
  #filled = 0;

  constructor(private readonly file: Deno.FsFile, readonly length: number, maxBlock: number) {
    this.#buffer = new Uint8Array(Math.max(maxBlock, minimumReadAhead));
  }

  subarray(start: number, end: number): Uint8Array {
    end = Math.min(end, this.length);
    if (start < this.#start || end > this.#start + this.#filled) this.#fill(start);
    const from = start - this.#start;
    return this.#buffer.subarray(from, Math.min(from + (end - start), this.#filled));
  }

  #fill(start: number): void {
    this.file.seekSync(start, Deno.SeekMode.Start);
    const want = Math.min(this.#buffer.length, this.length - start);
    let filled = 0;
    while (filled < want) {
      const read = this.file.readSync(this.#buffer.subarray(filled, want));
      if (read === null || read === 0) break;
      filled += read;
    }
    this.#start = start;
    this.#filled = filled;
  }

  [Symbol.dispose](): void {
    this.file.close();
  }
}
