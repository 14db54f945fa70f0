import { libc } from "./libc.ts";

// struct stat: st_dev and st_ino lead on both architectures, st_size sits at 48 and st_mtime (seconds,
// then nanoseconds) at 88 on both; st_mode is at 24 on x86_64 (after a 64-bit st_nlink) and at 16 on
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

const buffer = new Uint8Array(STAT_SIZE);
const view = new DataView(buffer.buffer);

/** fstat(2) of `fd`, or null when it fails. */
export function fileIdentity(fd: number): FileIdentity | null {
  if (libc().fstat(fd, buffer) < 0) return null;
  return {
    dev: Number(view.getBigUint64(0, true)),
    ino: Number(view.getBigUint64(8, true)),
    size: Number(view.getBigInt64(48, true)),
    mtimeMs: Number(view.getBigInt64(88, true)) * 1000 + Math.floor(Number(view.getBigInt64(96, true)) / 1e6),
    regular: (view.getUint32(MODE_OFFSET, true) & S_IFMT) === S_IFREG,
  };
}
