import { libc } from "./libc.ts";

// struct stat: st_dev and st_ino lead on both architectures, st_size sits at 48, st_mtime (seconds, then
// nanoseconds) at 88 and st_ctime at 104 on both; st_mode is at 24 on x86_64 (after a 64-bit st_nlink) and at 16 on
// aarch64's generic layout.
const STAT_SIZE = 144;
const MODE_OFFSET = Deno.build.arch === "x86_64" ? 24 : 16;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Which file an open fd is: enough to tell it is the very file a path check saw. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  /** Modification time in whole milliseconds, as Deno.FileInfo's mtime gives it. */
  mtimeMs: number;
  regular: boolean;
}

/**
 * A file's version as exactly as stat(2) tells it: besides FileIdentity, both times to the nanosecond.
 * The inode change time cannot be set by a writer (utime, rclone's or rsync's kept mtimes), and changes
 * when the file is written, renamed or re-linked.
 */
export interface FileVersion extends FileIdentity {
  mtimeNs: bigint;
  ctimeNs: bigint;
}

const buffer = new Uint8Array(STAT_SIZE);
const view = new DataView(buffer.buffer);

/** fstat(2) of `fd`, or null when it fails. */
export function fileIdentity(fd: number): FileIdentity | null {
  if (libc().fstat(fd, buffer) < 0) return null;
  return identityOfBuffer();
}

/** stat(2) of a NUL-terminated path (cString), symlinks followed, or null when it fails (absent, …). */
export function pathVersion(path: Uint8Array<ArrayBuffer>): FileVersion | null {
  if (libc().stat(path, buffer) < 0) return null;
  return {
    ...identityOfBuffer(),
    mtimeNs: view.getBigInt64(88, true) * 1_000_000_000n + view.getBigInt64(96, true),
    ctimeNs: view.getBigInt64(104, true) * 1_000_000_000n + view.getBigInt64(112, true),
  };
}

/** Whether two stat results are the same version of the same file. */
export function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs && a.regular === b.regular;
}

function identityOfBuffer(): FileIdentity {
  return {
    dev: Number(view.getBigUint64(0, true)),
    ino: Number(view.getBigUint64(8, true)),
    size: Number(view.getBigInt64(48, true)),
    mtimeMs: Number(view.getBigInt64(88, true)) * 1000 + Math.floor(Number(view.getBigInt64(96, true)) / 1e6),
    regular: (view.getUint32(MODE_OFFSET, true) & S_IFMT) === S_IFREG,
  };
}
