import { Tap, TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, VNET_HEADER_SIZE } from "../../sys/mod.ts";

/** Where a node's frames enter and leave the mesh. */
export interface FramePort {
  /**
   * Bytes before the Ethernet header of every frame read and written (a virtio_net_hdr on TAPs with
   * offloads). Every node of a mesh uses the same kind of port, so the prefix travels as part of the frame.
   */
  readonly headerSize: number;
  /**
   * Waits for at least one frame, then reads every frame already queued (one wakeup, many frames) into
   * `buffer`, one after another, calling `each` with a frame's length before reading the next over it.
   * The frame path hands its own input buffer, so a frame is never copied on its way to being sealed.
   */
  readInto(buffer: Uint8Array, each: (length: number) => void): Promise<void>;
  /**
   * Reads, without waiting, the frames already queued (like readInto after its wait). Optional: a port
   * that cannot will have its frames read by readInto after its wakeup.
   */
  readQueued?(buffer: Uint8Array, each: (length: number) => void): void;
  /** Writes one frame now; `frame` is only lent for the call (it may be a view into the frame path). */
  write(frame: Uint8Array): void;
  close(): void;
}

const maxBatch = 256;

/**
 * The node's TAP device: reads drained with sync calls after one wait, writes sync (see DESIGN.md). With
 * IFF_VNET_HDR and TSO/checksum offload the kernel hands over TCP super-frames of up to 64 KiB with a
 * virtio_net_hdr, so one seal, one record and one write carry what would be ~45 MTU-sized frames; the
 * receiving TAP, given the same header, cuts them back into segments.
 */
export class TapPort implements FramePort {
  readonly headerSize = VNET_HEADER_SIZE;
  #drained = false;

  constructor(readonly tap: Tap) {}

  static open(name: string): TapPort {
    const tap = Tap.open({ name, vnetHeader: true });
    tap.setOffload(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
    return new TapPort(tap);
  }

  async readInto(buffer: Uint8Array, each: (length: number) => void): Promise<void> {
    if (buffer.length < VNET_HEADER_SIZE + 65_550) throw new RangeError("a TSO super-frame would not fit");
    // The last batch ended on an empty queue: wait before reading (a read now would only say EAGAIN).
    if (this.#drained) await this.tap.readable();
    this.#drained = false;
    // Each read and the call that takes its frame run in one synchronous stretch: across an await,
    // readQueued() (called between link records) could read another frame into the same buffer.
    for (;;) {
      const length = this.tap.tryRead(buffer);
      if (length !== null) {
        each(length);
        break;
      }
      await this.tap.readable();
    }
    for (let read = 1; read < maxBatch; read++) {
      const length = this.tap.tryRead(buffer);
      if (length === null) {
        this.#drained = true;
        return;
      }
      each(length);
    }
    // Still frames queued: without this wait the next read would succeed at once and resolve as a
    // microtask, and under a flood the event loop would never get a turn to complete the links'
    // writes (their queues filled up and sealed frames were dropped). The poller's answer is a real
    // event-loop turn, and an immediate one while frames are queued.
    await this.tap.readable();
  }

  readQueued(buffer: Uint8Array, each: (length: number) => void): void {
    for (let read = 0; read < maxBatch; read++) {
      const length = this.tap.tryRead(buffer);
      if (length === null) return;
      each(length);
    }
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
  readonly headerSize = VNET_HEADER_SIZE;
  readonly #closed = Promise.withResolvers<never>();

  readInto(): Promise<void> {
    return this.#closed.promise;
  }

  write(): void {}

  close(): void {
    this.#closed.reject(new Error("closed"));
    this.#closed.promise.catch(() => {});
  }
}
