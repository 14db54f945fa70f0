import { check, libc } from "./libc.ts";

/** fdatasync(2) on this thread: the file's data (and the size needed to read it) is on disk on return. */
export function syncData(fd: number, subject: string): void {
  check(libc().fdatasync(fd), "fdatasync", subject);
}

/**
 * fdatasync(2) on a Deno blocking thread, so the event loop goes on meanwhile. A failure cannot be retried
 * to learn its errno (errno is thread-local, and after a failed flush Linux may report success for data it
 * already dropped), so it is reported without one.
 */
export async function syncDataOffThread(fd: number, subject: string): Promise<void> {
  if (await libc().fdatasync_blocking(fd) !== 0) throw new Error(`fdatasync ${subject} failed`);
}
