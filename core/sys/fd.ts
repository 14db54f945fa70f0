import { MSG_DONTWAIT, MSG_TRUNC } from "./constants.ts";
import { Errno, SysError } from "./errno.ts";
import { closeQuietly, errno, libc } from "./libc.ts";
import type { MessageBatch } from "./message_batch.ts";
import { ClosedError, type Poller, sharedPoller, type WaitOptions } from "./poller.ts";

/**
 * An owned, O_NONBLOCK file descriptor registered with a poller. Subclasses implement one sync attempt
 * (returning null on EAGAIN); `untilReadable` turns it into "drain now, wait only when empty".
 */
export abstract class OwnedFd implements Disposable {
  #fd: number;
  readonly poller: Poller;
  /** Names this fd in errors: "udp eth0 0.0.0.0:67", "tap tap0". */
  abstract readonly label: string;

  protected constructor(fd: number, poller: Poller = sharedPoller()) {
    this.#fd = fd;
    this.poller = poller;
  }

  /** The raw fd; throws ClosedError once closed so a reused number is never touched. */
  get fd(): number {
    if (this.#fd < 0) throw new ClosedError(this.label);
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Closes the fd; pending reads reject with ClosedError. Closing twice is a no-op. */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    if (!this.poller.closed) this.poller.forget(fd, this.label);
    closeQuietly(fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Resolves when the fd is readable; rejects with ClosedError if it is closed meanwhile. */
  readable(options?: WaitOptions): Promise<void> {
    return this.poller.readable(this.fd, options);
  }

  writable(options?: WaitOptions): Promise<void> {
    return this.poller.writable(this.fd, options);
  }

  /**
   * Calls `attempt` until it returns a value, waiting for readability whenever it reports EAGAIN (null).
   * Each wait is a real readiness event or a rare spurious one, so the loop does not spin.
   */
  protected async untilReadable<T>(attempt: () => T | null, options?: WaitOptions): Promise<T> {
    for (;;) {
      options?.signal?.throwIfAborted();
      const result = attempt();
      if (result !== null) return result;
      await this.readable(options);
    }
  }
}

/** Interprets a -1 from a sync read/recv: null for EAGAIN/EINTR (try later), otherwise the error. */
export function retryableOrThrow(call: string, subject: string): null {
  // errno first: an empty socket is the common case in drain loops, and building an Error (with its
  // stack) for every EAGAIN cost more than the read itself.
  const code = errno();
  if (code === Errno.EAGAIN || code === Errno.EINTR) return null;
  throw new SysError(call, subject, code);
}

/** What every receive into a caller's buffer reports, whatever the socket's address family. */
export interface ReceivedLength {
  /** Bytes written into the caller's buffer. */
  length: number;
  /** True when the datagram was longer than the buffer and its tail was dropped. */
  truncated: boolean;
}

/** Big enough for any UDP datagram and any frame an AF_PACKET socket reads. */
const MAX_DATAGRAM = 65536;

/**
 * A datagram socket read with recvfrom(MSG_TRUNC) (UdpSocket, PacketSocket). The receive loop lives here;
 * subclasses only decode the source address into their result types. The source address buffer is one
 * per socket and tryReceive() copies out of one lazily allocated 64 KiB buffer, so a receive allocates
 * nothing but its result (and tryReceive's copy of the data).
 */
export abstract class DatagramFd<Into extends ReceivedLength, Copy> extends OwnedFd {
  readonly #source: Uint8Array<ArrayBuffer>;
  readonly #sourceLength = new Uint8Array(4);
  readonly #sourceLengthView = new DataView(this.#sourceLength.buffer);
  #receiveBuffer: Uint8Array<ArrayBuffer> | undefined;

  /** `sourceSize`: sizeof the struct sockaddr_* recvfrom fills in. */
  protected constructor(fd: number, sourceSize: number, poller?: Poller) {
    super(fd, poller);
    this.#source = new Uint8Array(sourceSize);
  }

  /**
   * The result for one received datagram, from the sockaddr the kernel wrote (`sourceLength` bytes of
   * `source`, valid only during the call); null drops the datagram and the next one is read.
   */
  protected abstract describeReceived(
    length: number,
    truncated: boolean,
    source: Uint8Array,
    sourceLength: number,
  ): Into | null;

  /** tryReceive()'s result: `received` with `data`, a copy of the datagram's bytes. */
  protected abstract withData(received: Into, data: Uint8Array<ArrayBuffer>): Copy;

  /**
   * One sync receive into `buffer`: the datagram's length and source, or null when none is queued.
   * No buffer is allocated per call, only the small result: for loops that drain many datagrams per
   * wakeup.
   */
  tryReceiveInto(buffer: Uint8Array): Into | null {
    const lib = libc();
    // Bounded by what is queued when describeReceived drops datagrams: each turn consumes one.
    for (;;) {
      this.#sourceLengthView.setUint32(0, this.#source.length, true);
      const length = lib.recvfrom(
        this.fd,
        buffer,
        BigInt(buffer.length),
        MSG_TRUNC,
        this.#source,
        this.#sourceLength,
      );
      if (length < 0) return retryableOrThrow("recvfrom", this.label);
      const received = this.describeReceived(
        Math.min(length, buffer.length),
        length > buffer.length,
        this.#source,
        this.#sourceLengthView.getUint32(0, true),
      );
      if (received !== null) return received;
    }
  }

  /** One sync receive: a copy of the next datagram with its source, or null when none is queued. */
  tryReceive(): Copy | null {
    this.#receiveBuffer ??= new Uint8Array(MAX_DATAGRAM);
    const received = this.tryReceiveInto(this.#receiveBuffer);
    if (received === null) return null;
    return this.withData(received, this.#receiveBuffer.slice(0, received.length));
  }

  /** The next datagram: taken at once if queued, else after the poller reports the socket readable. */
  receive(options?: WaitOptions): Promise<Copy> {
    return this.untilReadable(() => this.tryReceive(), options);
  }

  /** Like tryReceiveInto, waiting when nothing is queued. */
  receiveInto(buffer: Uint8Array, options?: WaitOptions): Promise<Into> {
    return this.untilReadable(() => this.tryReceiveInto(buffer), options);
  }

  /**
   * sendmmsg(2) of messages `from` up to `to` of `batch` (each slot's length set, each address filled in):
   * how many the kernel took, from `from` on. When it takes none, the error of message `from` is thrown
   * (the caller decides whether that one is worth another try, and goes on after it).
   */
  sendBatch(batch: MessageBatch, from: number, to: number): number {
    if (!Number.isInteger(to) || to <= from || to > batch.capacity) {
      throw new RangeError(`messages ${from} to ${to} of a batch of ${batch.capacity}`);
    }
    const sent = libc().sendmmsg(this.fd, batch.headersFrom(from), to - from, 0);
    if (sent < 0) throw new SysError("sendmmsg", this.label, errno());
    return sent;
  }

  /**
   * One recvmmsg(2) without waiting: how many datagrams were written into `batch` (from message 0 on, at
   * most `max`: read each with slot/length/truncated), or null when none is queued.
   */
  tryReceiveBatch(batch: MessageBatch, max = batch.capacity): number | null {
    const count = Math.min(max, batch.capacity);
    batch.prepareReceive(count);
    const received = libc().recvmmsg(this.fd, batch.headers, count, MSG_DONTWAIT, null);
    if (received < 0) return retryableOrThrow("recvmmsg", this.label);
    return received;
  }

  /** Like tryReceiveBatch, waiting when nothing is queued (at least one datagram then). */
  receiveBatch(batch: MessageBatch, options?: WaitOptions): Promise<number> {
    return this.untilReadable(() => {
      const received = this.tryReceiveBatch(batch);
      return received === 0 ? null : received;
    }, options);
  }
}
