import { Errno } from "../sys/errno.ts";
import { fileIdentity } from "../sys/fstat.ts";
import { closeQuietly } from "../sys/mod.ts";
import { openForReading } from "../sys/open.ts";
import type { FileIdentity } from "./file_response.ts";

/** An open fd, or why there is none: the file changed since its check, or we are out of fds. */
export type CheckedOpen = { fd: number } | { refused: "changed" | "busy" };

/**
 * Opens the file that was checked. The path was resolved inside the jail a moment (at most a lookup
 * cache's second) ago; the fd must be that very version — same device, inode, size and mtime, and a
 * regular file — so a directory or file swapped for a symlink, a FIFO or a new version since then is
 * never sent under the old validators.
 */
export function openChecked(path: string, identity: FileIdentity): CheckedOpen {
  const opened = openForReading(path);
  if ("errno" in opened) {
    return { refused: opened.errno === Errno.EMFILE || opened.errno === Errno.ENFILE ? "busy" : "changed" };
  }
  const { fd } = opened;
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
