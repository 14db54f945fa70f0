import {
  decodeTftp,
  encodeTftp,
  TFTP_ACK,
  TFTP_ERROR,
  TFTP_ERROR_UNKNOWN_TRANSFER_ID,
  tftpError,
} from "../../net/tftp/mod.ts";
import { EPOLLIN } from "../../sys/constants.ts";
import { EpollSet } from "../../sys/epoll_set.ts";
import type { TransferLink } from "./ack_wait.ts";
import type { TransferResult } from "./transfer_result.ts";
import type { WindowLoop } from "./window_loop.ts";

export interface TransferReactorOptions {
  /**
   * How long to keep polling (sync, on the JS thread) for the next ACK before parking on epoll: loopback
   * and LAN clients answer within tens of microseconds, and a wakeup from epoll costs a thread hop. 0:
   * never wait for one that is not there yet.
   */
  spinMs: number;
  /** Poll only while this many transfers run or fewer: polling holds the JS thread. */
  spinningTransfers: number;
}

interface Running {
  link: TransferLink;
  loop: WindowLoop;
  fd: number;
  resolve(result: TransferResult): void;
  reject(error: unknown): void;
  onAbort(): void;
}

// Polled work holds the JS thread at most this long before the event loop gets a turn.
const maxSyncMs = 2;
// Big enough for any datagram, so that a client's ERROR message is never cut.
const receiveBufferBytes = 65536;

/**
 * Runs the data phase of many transfers on one level-triggered epoll set: an ACK is read, decoded and
 * answered with the next window in one synchronous pass, with no promise, timer or abort signal per
 * block. Timeouts are deadlines swept when the earliest one passes; the epoll wait ends by then. While
 * few transfers run, it polls for a moment before waiting (spinMs). Nothing is pending while no transfer
 * runs, so an idle server costs nothing.
 */
export class TransferReactor {
  readonly #options: TransferReactorOptions;
  readonly #epoll = new EpollSet();
  readonly #running = new Map<number, Running>();
  readonly #buffer = new Uint8Array(receiveBufferBytes);
  #nextDeadline = Infinity;
  // When the pending epoll wait ends by itself (Infinity: none pending).
  #waitEnds = Infinity;
  #loop: Promise<void> | undefined;
  #closed = false;

  constructor(options: TransferReactorOptions) {
    this.#options = options;
  }

  /** Runs `loop` (a fresh data phase) on the link's socket until it ends. */
  run(link: TransferLink, loop: WindowLoop): Promise<TransferResult> {
    if (this.#closed || link.signal.aborted) {
      loop.serverStopping();
      return Promise.resolve(loop.result!);
    }
    const { promise, resolve, reject } = Promise.withResolvers<TransferResult>();
    const fd = link.socket.fd;
    const running: Running = { link, loop, fd, resolve, reject, onAbort: () => this.#stop(running) };
    this.#epoll.add(fd, EPOLLIN);
    this.#running.set(fd, running);
    link.signal.addEventListener("abort", running.onAbort, { once: true });
    this.#guard(running, () => loop.start(performance.now()));
    if (this.#running.has(fd)) this.#deadlineAt(loop.deadline);
    this.#loop ??= this.#run();
    return promise;
  }

  /** Ends every transfer as stopping and releases the epoll set once its wait has returned. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const running of [...this.#running.values()]) this.#stop(running);
    this.#epoll.wake();
    await this.#loop;
    this.#epoll.close();
  }

  async #run(): Promise<void> {
    try {
      while (this.#running.size > 0 && !this.#closed) {
        const timeout = Math.max(0, Math.ceil(this.#nextDeadline - performance.now()));
        this.#waitEnds = performance.now() + timeout;
        try {
          await this.#epoll.wait(timeout, this.#onEvent);
        } finally {
          this.#waitEnds = Infinity;
        }
        this.#sweep(performance.now());
        this.#spin();
      }
    } finally {
      this.#loop = undefined;
    }
  }

  /**
   * Takes what is ready without a thread hop: while ACKs keep coming (many transfers at once), and while
   * few transfers run, until none came for spinMs. At most maxSyncMs at a time, then the event loop gets
   * a turn.
   */
  #spin(): void {
    const { spinMs, spinningTransfers } = this.#options;
    const started = performance.now();
    let lastEvent = started;
    for (let now = started; this.#running.size > 0;) {
      const events = this.#epoll.poll(this.#onEvent);
      now = performance.now();
      if (events > 0) lastEvent = now;
      else if (this.#running.size > spinningTransfers || now - lastEvent > spinMs) return;
      if (now - started > maxSyncMs) return;
      this.#sweep(now);
    }
  }

  readonly #onEvent = (fd: number) => {
    const running = this.#running.get(fd);
    if (running !== undefined) this.#guard(running, () => this.#receive(running));
  };

  /**
   * Reads what the client sent until the transfer moves on: the next window has then gone out, and the
   * client cannot have answered it yet (anything still queued, such as a duplicate ACK, keeps the fd
   * readable for the next round, since the set is level-triggered). Other senders get "unknown transfer
   * ID" and are otherwise ignored.
   */
  #receive(running: Running): void {
    const { link: { socket, peer }, loop } = running;
    const buffer = this.#buffer;
    for (;;) {
      let received;
      try {
        received = socket.tryReceiveInto(buffer);
      } catch {
        // An error queued on the socket (an ICMP port unreachable from the client): as a lost ACK.
        loop.timedOut(performance.now());
        return;
      }
      if (received === null) return;
      if (received.address !== peer.address || received.port !== peer.port) {
        try {
          socket.sendTo(
            encodeTftp(tftpError(TFTP_ERROR_UNKNOWN_TRANSFER_ID)),
            received.address,
            received.port,
          );
        } catch { /* best effort */ }
        continue;
      }
      const deadline = loop.deadline;
      if (received.length >= 4 && buffer[0] === 0 && buffer[1] === TFTP_ACK) {
        loop.acknowledged((buffer[2] << 8) | buffer[3], performance.now());
      } else {
        const decoded = decodeTftp(buffer.subarray(0, received.length));
        if (decoded.ok && decoded.value.op === TFTP_ERROR) {
          loop.clientError(`client: ${decoded.value.message}`);
        }
      }
      if (loop.result || loop.deadline !== deadline) return;
    }
  }

  /** Runs one step of a transfer; finishes it when the step ended it or threw. */
  #guard(running: Running, step: () => void): void {
    try {
      step();
    } catch (error) {
      this.#finish(running);
      running.reject(error);
      return;
    }
    if (running.loop.result) {
      this.#finish(running);
      running.resolve(running.loop.result);
    }
  }

  #sweep(now: number): void {
    if (now < this.#nextDeadline) return;
    let next = Infinity;
    for (const running of [...this.#running.values()]) {
      if (running.loop.deadline <= now) this.#guard(running, () => running.loop.timedOut(now));
      if (this.#running.has(running.fd)) next = Math.min(next, running.loop.deadline);
    }
    this.#nextDeadline = next;
  }

  #deadlineAt(deadline: number): void {
    this.#nextDeadline = Math.min(this.#nextDeadline, deadline);
    // The pending wait would sleep past it (a transfer with a shorter timeout joined).
    if (deadline < this.#waitEnds) this.#epoll.wake();
  }

  #stop(running: Running): void {
    if (!this.#running.has(running.fd)) return;
    this.#guard(running, () => running.loop.serverStopping());
    // The loop may be parked on a long wait with nothing left to run: let it end now.
    if (this.#running.size === 0) this.#epoll.wake();
  }

  #finish(running: Running): void {
    this.#running.delete(running.fd);
    this.#epoll.remove(running.fd);
    running.link.signal.removeEventListener("abort", running.onAbort);
  }
}
