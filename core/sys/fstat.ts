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
  /** The stat bytes these fields came from (device, inode, mode, size, both times), for stillIs(). */
  stamp: Uint8Array;
}

// The parts of struct stat a version is made of; st_atime (72–88) is left out, since reads move it.
const STAMPED: [number, number][] = [[0, 16], [MODE_OFFSET, MODE_OFFSET + 4], [48, 56], [88, 120]];
const STAMP_SIZE = STAMPED.reduce((sum, [from, to]) => sum + to - from, 0);

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
  const stamp = new Uint8Array(STAMP_SIZE);
  let at = 0;
  for (const [from, to] of STAMPED) {
    stamp.set(buffer.subarray(from, to), at);
    at += to - from;
  }
  return {
    ...identityOfBuffer(),
    mtimeNs: view.getBigInt64(88, true) * 1_000_000_000n + view.getBigInt64(96, true),
    ctimeNs: view.getBigInt64(104, true) * 1_000_000_000n + view.getBigInt64(112, true),
    stamp,
  };
}

/**
 * Whether `path` is still exactly `version`: one stat(2), compared byte for byte with the version's
 * stamp, allocating nothing (it runs on every reuse of a cached boot-file lookup).
 */
export function stillIs(path: Uint8Array<ArrayBuffer>, version: FileVersion): boolean {
  if (libc().stat(path, buffer) < 0) return false;
  let at = 0;
  for (const [from, to] of STAMPED) {
    for (let i = from; i < to; i++) if (buffer[i] !== version.stamp[at++]) return false;
  }
  return true;
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
