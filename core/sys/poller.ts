import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLONESHOT,
  EPOLLOUT,
  EPOLLPRI,
  EPOLLRDHUP,
} from "./constants.ts";
import { Errno, SysError } from "./errno.ts";
import { check, closeQuietly, errno, libc } from "./libc.ts";

// Readiness waiting for many fds with one epoll instance. The only blocking call, epoll_wait, is declared
// nonblocking: it runs on a Deno blocking thread while the event loop goes on. Callers drain their fd
// with sync reads until EAGAIN and only then wait here (a sync call is ~1000x cheaper than a
// nonblocking one).
//
// Registrations are level-triggered and EPOLLONESHOT, re-armed by each wait: if data arrived between
// the EAGAIN and the wait, the re-arm reports it at once, so no wakeup can be lost. Spurious wakeups
// are possible (a stale event for a closed and reused fd); every caller retries its read, so they only
// cost a loop turn.
//
// The epoll_wait call is only pending while someone waits. An idle poller holds no pending op, so it
// neither keeps the process alive nor trips Deno's test sanitizers. An eventfd in the same epoll set
// wakes a pending epoll_wait when the last waiter goes away and on close().

/** Raised to waiters whose fd was forgotten (closed) or whose poller was closed. */
export class ClosedError extends Error {
  constructor(what: string) {
    super(`${what} closed`);
    this.name = "ClosedError";
  }
}

export type Interest = "read" | "write";

export interface WaitOptions {
  signal?: AbortSignal;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  cleanup(): void;
}

interface Registration {
  readers: Set<Waiter>;
  writers: Set<Waiter>;
  inKernel: boolean;
}

// struct epoll_event is packed on x86_64 (u32 events, u64 data: 12 bytes) and naturally aligned on
// aarch64 (16 bytes, data at offset 8).
export const EVENT_SIZE = Deno.build.arch === "x86_64" ? 12 : 16;
export const EVENT_DATA_OFFSET = Deno.build.arch === "x86_64" ? 4 : 8;
const MAX_EVENTS = 64;
// A finite timeout only makes the loop re-check its state now and then; wakeups come from the eventfd.
const WAIT_TIMEOUT_MS = 30_000;
const READ_EVENTS = EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLERR | EPOLLHUP;
const WRITE_EVENTS = EPOLLOUT | EPOLLERR | EPOLLHUP;

export class Poller {
  readonly #epollFd: number;
  readonly #wakeFd: number;
  readonly #registrations = new Map<number, Registration>();
  // Written by the kernel while epoll_wait is pending on another thread: kept alive by this field,
  // never touched by JS until that call has returned, and big enough (768 bytes) that V8 keeps it
  // off-heap, where the GC never moves it.
  readonly #events = new Uint8Array(EVENT_SIZE * MAX_EVENTS);
  readonly #recoveryEvents = new Uint8Array(EVENT_SIZE * MAX_EVENTS);
  readonly #eventView = new DataView(this.#events.buffer);
  readonly #recoveryView = new DataView(this.#recoveryEvents.buffer);
  readonly #ctlEvent = new Uint8Array(EVENT_SIZE);
  readonly #ctlView = new DataView(this.#ctlEvent.buffer);
  readonly #wakeValue = new Uint8Array(new BigUint64Array([1n]).buffer);
  readonly #drainBuffer = new Uint8Array(8);
  #waiterCount = 0;
  #loop: Promise<void> | null = null;
  #pendingCall: Promise<number> | null = null;
  #closed = false;

  constructor() {
    const lib = libc();
    this.#epollFd = check(lib.epoll_create1(EPOLL_CLOEXEC), "epoll_create1", "poller");
    try {
      this.#wakeFd = check(lib.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd", "poller wakeup");
    } catch (error) {
      closeQuietly(this.#epollFd);
      throw error;
    }
    try {
      this.#control(EPOLL_CTL_ADD, this.#wakeFd, EPOLLIN);
    } catch (error) {
      closeQuietly(this.#wakeFd);
      closeQuietly(this.#epollFd);
      throw error;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when `fd` is readable (or has an error or hangup pending, which the next read reports). */
  readable(fd: number, options?: WaitOptions): Promise<void> {
    return this.#wait(fd, "read", options?.signal);
  }

  /** Resolves when `fd` is writable (or has an error pending). */
  writable(fd: number, options?: WaitOptions): Promise<void> {
    return this.#wait(fd, "write", options?.signal);
  }

  /**
   * Drops `fd` from the epoll set and rejects its waiters with ClosedError. Call it before close(fd):
   * the kernel forgets a closed fd on its own, and its waiters would then never wake.
   */
  forget(fd: number, what = `fd ${fd}`): void {
    const registration = this.#registrations.get(fd);
    if (registration === undefined) return;
    this.#registrations.delete(fd);
    if (registration.inKernel && !this.#closed) libc().epoll_ctl(this.#epollFd, EPOLL_CTL_DEL, fd, null);
    const error = new ClosedError(what);
    for (const waiter of [...registration.readers, ...registration.writers]) this.#settle(waiter, error);
  }

  /**
   * Rejects every waiter with ClosedError, wakes the pending epoll_wait and releases the epoll fd and
   * eventfd. Returns as soon as the waiting thread has come back (microseconds, not a timeout).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = new ClosedError("poller");
    const waiters: Waiter[] = [];
    for (const registration of this.#registrations.values()) {
      waiters.push(...registration.readers, ...registration.writers);
    }
    this.#registrations.clear();
    for (const waiter of waiters) this.#settle(waiter, error);
    this.#wake();
    await this.#loop;
    closeQuietly(this.#wakeFd);
    closeQuietly(this.#epollFd);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #wait(fd: number, interest: Interest, signal?: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError("poller"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    let registration = this.#registrations.get(fd);
    if (registration === undefined) {
      registration = { readers: new Set(), writers: new Set(), inKernel: false };
      this.#registrations.set(fd, registration);
    }
    const entry = registration;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#detach(entry, waiter)) return;
        this.#afterDetach(() => reject(signal?.reason));
      };
      const waiter: Waiter = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener("abort", onAbort),
      };
      (interest === "read" ? entry.readers : entry.writers).add(waiter);
      this.#waiterCount++;
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        this.#arm(fd, entry);
      } catch (error) {
        this.#detach(entry, waiter);
        waiter.cleanup();
        reject(error);
        return;
      }
      this.#loop ??= this.#run();
    });
  }

  /**
   * Removes a waiter that has not fired; false when it already had. The kernel registration stays
   * (a oneshot that may still fire is harmless) so the next wait on the fd is a cheap MOD.
   */
  #detach(registration: Registration, waiter: Waiter): boolean {
    if (!registration.readers.delete(waiter) && !registration.writers.delete(waiter)) return false;
    this.#waiterCount--;
    return true;
  }

  /**
   * Runs `settle` once no nonblocking epoll_wait is left behind: if the detached waiter was the last
   * one, the pending call is woken and the promise settles after it returned, so a test that awaited
   * the cancelled wait ends with no pending op.
   */
  #afterDetach(settle: () => void): void {
    if (this.#waiterCount === 0 && this.#pendingCall !== null) {
      this.#wake();
      this.#pendingCall.then(settle, settle);
    } else {
      settle();
    }
  }

  #settle(waiter: Waiter, error: unknown): void {
    this.#waiterCount--;
    waiter.cleanup();
    this.#afterDetach(() => waiter.reject(error));
  }

  #arm(fd: number, registration: Registration): void {
    let events = EPOLLONESHOT;
    if (registration.readers.size > 0) events |= EPOLLIN | EPOLLPRI | EPOLLRDHUP;
    if (registration.writers.size > 0) events |= EPOLLOUT;
    if (registration.inKernel) {
      try {
        this.#control(EPOLL_CTL_MOD, fd, events);
        return;
      } catch (error) {
        // The fd was closed without forget() and its number reused: register the new file afresh.
        if (!(error instanceof SysError && error.errno === Errno.ENOENT)) throw error;
        registration.inKernel = false;
      }
    }
    try {
      this.#control(EPOLL_CTL_ADD, fd, events);
    } catch (error) {
      // Registered earlier under the same number by a caller that skipped forget(): modify instead.
      if (!(error instanceof SysError && error.errno === Errno.EEXIST)) throw error;
      this.#control(EPOLL_CTL_MOD, fd, events);
    }
    registration.inKernel = true;
  }

  #control(operation: number, fd: number, events: number): void {
    this.#ctlView.setUint32(0, events, true);
    this.#ctlView.setBigUint64(EVENT_DATA_OFFSET, BigInt(fd), true);
    const name = operation === EPOLL_CTL_ADD ? "ADD" : operation === EPOLL_CTL_MOD ? "MOD" : "DEL";
    check(libc().epoll_ctl(this.#epollFd, operation, fd, this.#ctlEvent), `epoll_ctl(${name})`, `fd ${fd}`);
  }

  #wake(): void {
    // A full eventfd counter (EAGAIN) already means "wake up", so the result does not matter.
    libc().write(this.#wakeFd, this.#wakeValue, 8n);
  }

  async #run(): Promise<void> {
    const lib = libc();
    try {
      while (!this.#closed && this.#waiterCount > 0) {
        this.#pendingCall = lib.epoll_wait_blocking(this.#epollFd, this.#events, MAX_EVENTS, WAIT_TIMEOUT_MS);
        const count = await this.#pendingCall;
        this.#pendingCall = null;
        if (this.#closed) return;
        if (count >= 0) {
          this.#dispatch(this.#eventView, count);
          continue;
        }
        // errno belongs to the thread that ran the call, so ask again synchronously: EINTR does not
        // repeat (and may hand us events), a real error (EBADF, EINVAL) does.
        const retry = lib.epoll_wait(this.#epollFd, this.#recoveryEvents, MAX_EVENTS, 0);
        if (retry < 0) {
          this.#failAll(new SysError("epoll_wait", "poller", errno()));
          return;
        }
        this.#dispatch(this.#recoveryView, retry);
      }
    } finally {
      this.#pendingCall = null;
      this.#loop = null;
    }
  }

  #dispatch(view: DataView, count: number): void {
    for (let i = 0; i < Math.min(count, MAX_EVENTS); i++) {
      const events = view.getUint32(i * EVENT_SIZE, true);
      const fd = view.getUint32(i * EVENT_SIZE + EVENT_DATA_OFFSET, true);
      if (fd === this.#wakeFd) {
        libc().read(this.#wakeFd, this.#drainBuffer, 8n);
        continue;
      }
      const registration = this.#registrations.get(fd);
      if (registration === undefined) continue;
      if (events & READ_EVENTS) this.#resolveAll(registration.readers);
      if (events & WRITE_EVENTS) this.#resolveAll(registration.writers);
      // EPOLLONESHOT disarmed the fd; whoever still waits in the other direction needs it armed again.
      if (registration.readers.size > 0 || registration.writers.size > 0) {
        try {
          this.#arm(fd, registration);
        } catch (error) {
          this.#registrations.delete(fd);
          for (const waiter of [...registration.readers, ...registration.writers]) {
            this.#settle(waiter, error);
          }
        }
      }
    }
  }

  #resolveAll(waiters: Set<Waiter>): void {
    this.#waiterCount -= waiters.size;
    for (const waiter of waiters) {
      waiter.cleanup();
      waiter.resolve();
    }
    waiters.clear();
  }

  #failAll(error: unknown): void {
    const waiters: Waiter[] = [];
    for (const registration of this.#registrations.values()) {
      waiters.push(...registration.readers, ...registration.writers);
      registration.readers.clear();
      registration.writers.clear();
    }
    this.#waiterCount = 0;
    for (const waiter of waiters) {
      waiter.cleanup();
      waiter.reject(error);
    }
  }
}

let shared: Poller | undefined;

/** The process-wide poller the sockets and TAPs use unless given their own; recreated after close(). */
export function sharedPoller(): Poller {
  if (shared === undefined || shared.closed) shared = new Poller();
  return shared;
}
