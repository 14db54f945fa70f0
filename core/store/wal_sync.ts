import { closeQuietly, openForReading } from "../sys/mod.ts";
import { syncData, syncDataOffThread } from "../sys/sync_data.ts";

/**
 * Group commit for a SQLite file in WAL mode: transactions committed with synchronous=NORMAL are in the
 * WAL (written, not yet flushed), and one fdatasync of the WAL makes all of them durable at once. In WAL
 * mode NORMAL differs from FULL only in that sync after each commit (checkpoints sync either way; see
 * sqlite.org/pragma.html#pragma_synchronous), so commit + this sync is FULL's guarantee, paid once per
 * group. fsync is per file, not per descriptor: our own read-only fd on the WAL flushes SQLite's writes.
 *
 * One flush runs at a time, on a blocking thread; commits made while it runs wait for the next one, which
 * starts as soon as it ends and covers them all. With nothing running, `request(true)` flushes on the
 * spot instead: a lone writer then pays one fdatasync and no thread hand-off (two event-loop wakeups).
 */
export class WalSync {
  #fd = -1;
  #running = false;
  #next: PromiseWithResolvers<void> | undefined;
  #closing = false;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the WAL before this call is on disk. */
  request(inline = false): Promise<void> {
    if (this.#running) {
      // The running flush may have begun before this commit's write: wait for the next one.
      this.#next ??= Promise.withResolvers();
      return this.#next.promise;
    }
    if (inline) {
      try {
        syncData(this.#walFd(), this.walPath);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const first = Promise.withResolvers<void>();
    this.#running = true;
    this.#flushWhileAsked(first);
    return first.promise;
  }

  /** True while a flush runs (callers use it to tell a lone writer from a busy stream). */
  get busy(): boolean {
    return this.#running;
  }

  /** Closes the WAL fd, after the running flush if there is one (its thread still uses the fd). */
  close(): void {
    this.#closing = true;
    if (!this.#running && this.#fd >= 0) closeQuietly(this.#fd);
    if (!this.#running) this.#fd = -1;
  }

  async #flushWhileAsked(first: PromiseWithResolvers<void>): Promise<void> {
    let waiting: PromiseWithResolvers<void> | undefined = first;
    while (waiting) {
      try {
        await syncDataOffThread(this.#walFd(), this.walPath);
        waiting.resolve();
      } catch (error) {
        waiting.reject(error);
      }
      waiting = this.#next;
      this.#next = undefined;
    }
    this.#running = false;
    if (this.#closing) this.close();
  }

  /**
   * Opened at the first flush, when SQLite has created the WAL; it stays the same file while any
   * connection (ours included) has the database open.
   */
  #walFd(): number {
    if (this.#fd < 0) {
      const opened = openForReading(this.walPath);
      if ("errno" in opened) {
        throw new Error(`cannot open ${this.walPath} to flush it (errno ${opened.errno})`);
      }
      this.#fd = opened.fd;
    }
    return this.#fd;
  }
}
