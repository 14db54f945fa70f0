import { Errno, SysError } from "./errno.ts";
import { closeQuietly } from "./libc.ts";
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
export function retryableOrThrow(error: SysError): null {
  if (error.errno === Errno.EAGAIN || error.errno === Errno.EINTR) return null;
  throw error;
}
