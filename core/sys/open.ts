import { O_CLOEXEC, O_NONBLOCK, O_RDONLY } from "./constants.ts";
import { cString, errno, libc } from "./libc.ts";

/** An open fd, or the errno open(2) failed with. */
export type Opened = { fd: number } | { errno: number };

/**
 * open(2) read-only and close-on-exec. O_NONBLOCK, because opening a FIFO must not stall the event loop.
 * A failure is a value, not a SysError: callers tell "out of fds" from "gone" on every miss without the
 * cost of an exception.
 */
export function openForReading(path: string): Opened {
  const fd = libc().open(cString(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  return fd < 0 ? { errno: errno() } : { fd };
}
