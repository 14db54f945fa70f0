import { Tap } from "../../sys/mod.ts";

/** Where a node's frames enter and leave the mesh. */
export interface FramePort {
  /** Waits for at least one frame, then returns every frame already queued (one wakeup, many frames). */
  read(): Promise<Uint8Array[]>;
  write(frame: Uint8Array): void;
  close(): void;
}

const maxBatch = 256;

/** The node's TAP device: reads drained with sync calls after one wait, writes sync (see DESIGN.md). */
export class TapPort implements FramePort {
  readonly #buffer = new Uint8Array(65_536);

  constructor(readonly tap: Tap) {}

  static open(name: string): TapPort {
    return new TapPort(Tap.open({ name }));
  }

  async read(): Promise<Uint8Array[]> {
    const first = await this.tap.read(this.#buffer);
    const frames = [this.#buffer.slice(0, first)];
    while (frames.length < maxBatch) {
      const length = this.tap.tryRead(this.#buffer);
      if (length === null) break;
      frames.push(this.#buffer.slice(0, length));
    }
    return frames;
  }

  write(frame: Uint8Array): void {
    try {
      this.tap.write(frame);
    } catch {
      // A full TAP queue (the kernel side is not reading): the frame is lost, as on a congested wire.
    }
  }

  close(): void {
    this.tap.close();
  }
}

/** No local segment: a relay node (a hub on a public host, say) only forwards frames between others. */
export class RelayPort implements FramePort {
  readonly #closed = Promise.withResolvers<never>();

  read(): Promise<Uint8Array[]> {
    return this.#closed.promise;
  }

  write(): void {}

  close(): void {
    this.#closed.reject(new Error("closed"));
    this.#closed.promise.catch(() => {});
  }
}
