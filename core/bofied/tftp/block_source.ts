/** What a transfer reads blocks from; a Uint8Array is one. */
export interface BlockSource {
  readonly length: number;
  subarray(start: number, end: number): Uint8Array;
}

/**
 * A file too large to hold in memory, read block by block with positioned sync reads: a block is a
 * page-cache copy of at most 64 KiB, cheaper than a nonblocking FFI hop, and memory stays one block per
 * transfer however many machines fetch a large image.
 */
export class FileBlocks implements BlockSource, Disposable {
  readonly #buffer: Uint8Array;

  constructor(private readonly file: Deno.FsFile, readonly length: number, maxBlock: number) {
    this.#buffer = new Uint8Array(maxBlock);
  }

  subarray(start: number, end: number): Uint8Array {
    this.file.seekSync(start, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < end - start) {
      const read = this.file.readSync(this.#buffer.subarray(filled, end - start));
      if (read === null || read === 0) break;
      filled += read;
    }
    return this.#buffer.subarray(0, filled);
  }

  [Symbol.dispose](): void {
    this.file.close();
  }
}
