import { O_CLOEXEC, O_NONBLOCK, O_RDONLY } from "../sys/constants.ts";
import { Errno } from "../sys/errno.ts";
import { fileIdentity } from "../sys/fstat.ts";
import { closeQuietly, cString, errno, libc } from "../sys/libc.ts";
import type { FileIdentity } from "./file_response.ts";

/** An open fd, or why there is none: the file changed since its check, or we are out of fds. */
export type CheckedOpen = { fd: number } | { refused: "changed" | "busy" };

/**
 * Opens the file that was checked. The path was resolved inside the jail a moment (at most a lookup
 * cache's second) ago; the fd must be that very version — same device, inode, size and mtime, and a
 * regular file — so a directory or file swapped for a symlink, a FIFO or a new version since then is
 * never sent under the old validators. O_NONBLOCK: opening a FIFO must not stall the loop.
 */
export function openChecked(path: string, identity: FileIdentity): CheckedOpen {
  const fd = libc().open(cString(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0) {
    const code = errno();
    return { refused: code === Errno.EMFILE || code === Errno.ENFILE ? "busy" : "changed" };
  }
  const found = fileIdentity(fd);
  if (
    !found || !found.regular || found.dev !== identity.dev || found.ino !== identity.ino ||
    found.size !== identity.size || found.mtimeMs !== identity.mtimeMs
  ) {
    closeQuietly(fd);
    return { refused: "changed" };
  }
  return { fd };
}
