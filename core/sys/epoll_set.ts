import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLLIN,
} from "./constants.ts";
import { check, closeQuietly, libc } from "./libc.ts";
import { EVENT_DATA_OFFSET, EVENT_SIZE } from "./poller.ts";

const MAX_EVENTS = 256;

/**
 * A level-triggered epoll set for one owner that serves many fds itself (the sendfile HTTP server): no
 * promise per fd and no re-arming per event, unlike the shared Poller, which suits callers that await one
 * fd at a time. Each wait runs epoll_wait on a Deno blocking thread, so the event loop goes on meanwhile.
 */
export class EpollSet {
  #epollFd: number;
  #wakeFd: number;
  // Written by the kernel while a wait is pending on another thread, so kept off the V8 heap (over
  // 64 bytes) and untouched by JS until that call returns.
  readonly #events = new Uint8Array(EVENT_SIZE * MAX_EVENTS);
  readonly #view = new DataView(this.#events.buffer);
  readonly #control = new Uint8Array(EVENT_SIZE);
  readonly #controlView = new DataView(this.#control.buffer);
  readonly #drain = new Uint8Array(8);
  readonly #one = new Uint8Array(new BigUint64Array([1n]).buffer);
  #waiting = false;
  #closed = false;

  constructor() {
    const lib = libc();
    this.#epollFd = check(lib.epoll_create1(EPOLL_CLOEXEC), "epoll_create1", "epoll set");
    this.#wakeFd = lib.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (this.#wakeFd < 0) {
      closeQuietly(this.#epollFd);
      check(-1, "eventfd", "epoll set wakeup");
    }
    this.add(this.#wakeFd, EPOLLIN);
  }

  add(fd: number, events: number): void {
    this.#ctl(EPOLL_CTL_ADD, fd, events);
  }

  modify(fd: number, events: number): void {
    this.#ctl(EPOLL_CTL_MOD, fd, events);
  }

  /** Forgets fd; call before closing it (a closed fd leaves the set on its own, but only if not dup'ed). */
  remove(fd: number): void {
    if (!this.#closed) libc().epoll_ctl(this.#epollFd, EPOLL_CTL_DEL, fd, this.#control);
  }

  /**
   * Waits up to `timeoutMs` for events and hands each to `onEvent`. A wake() ends the wait early. Errors
   * of the wait itself (EINTR) just end this round.
   */
  async wait(timeoutMs: number, onEvent: (fd: number, events: number) => void): Promise<void> {
    if (this.#closed) return;
    this.#waiting = true;
    let count: number;
    try {
      count = await libc().epoll_wait_blocking(this.#epollFd, this.#events, MAX_EVENTS, timeoutMs);
    } finally {
      this.#waiting = false;
    }
    if (this.#closed) {
      this.#release();
      return;
    }
    this.#dispatch(count, onEvent);
  }

  /**
   * Hands the events ready right now to `onEvent`, without waiting and without leaving the JS thread (a
   * sync epoll_wait with a zero timeout): for owners that poll briefly before parking on wait(). Returns
   * how many there were. Not while a wait() is pending.
   */
  poll(onEvent: (fd: number, events: number) => void): number {
    if (this.#closed || this.#waiting) return 0;
    const count = libc().epoll_wait(this.#epollFd, this.#events, MAX_EVENTS, 0);
    if (count <= 0) return 0;
    this.#dispatch(count, onEvent);
    return count;
  }

  #dispatch(count: number, onEvent: (fd: number, events: number) => void): void {
    for (let i = 0; i < count; i++) {
      const events = this.#view.getUint32(i * EVENT_SIZE, true);
      const fd = this.#view.getInt32(i * EVENT_SIZE + EVENT_DATA_OFFSET, true);
      if (fd === this.#wakeFd) libc().read(this.#wakeFd, this.#drain, 8n);
      else onEvent(fd, events);
    }
  }

  /** Ends a pending wait at once. */
  wake(): void {
    // After release the number may belong to another file by now: never write to it.
    if (this.#wakeFd >= 0) libc().write(this.#wakeFd, this.#one, 8n);
  }

  /** Closes the set; if a wait is pending, it ends (woken) and releases the fds itself. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#waiting) this.wake();
    else this.#release();
  }

  #release(): void {
    closeQuietly(this.#wakeFd);
    closeQuietly(this.#epollFd);
    this.#wakeFd = this.#epollFd = -1;
  }

  #ctl(operation: number, fd: number, events: number): void {
    if (this.#closed) throw new Error("epoll set is closed");
    this.#controlView.setUint32(0, events, true);
    this.#controlView.setBigUint64(EVENT_DATA_OFFSET, BigInt(fd), true);
    check(libc().epoll_ctl(this.#epollFd, operation, fd, this.#control), "epoll_ctl", `fd ${fd}`);
  }
}
