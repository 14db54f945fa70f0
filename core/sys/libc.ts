import { SysError } from "./errno.ts";

// One dlopen of glibc for the whole process. Everything is a sync call (~30 ns) except the waits, which
// are `nonblocking` (~30 µs, run on a Deno blocking thread) so they never stall the event loop.
//
// ssize_t results are declared "i32": on x86_64 and aarch64 the value comes back in rax/x0, and reading
// its low half gives the exact value for every length our buffers allow (and -1 stays -1). That spares
// a BigInt per read/write on the hot path. Parameters are never narrowed: size_t stays "usize", because
// the callee may read the whole register.
const SYMBOLS = {
  __errno_location: { parameters: [], result: "pointer" },
  close: { parameters: ["i32"], result: "i32" },
  // open(2) is variadic; with no floating-point arguments the Linux x86_64/aarch64 calling conventions
  // pass the mode exactly like a fixed third argument.
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  write: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  // struct stat's layout differs by architecture: core/sys/fstat.ts reads it.
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
  // glibc ≥ 2.33 exports stat(2) itself (no longer only __xstat).
  stat: { parameters: ["buffer", "buffer"], result: "i32" },
  accept4: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" },
  // off_t* in, the bytes sent out: the kernel copies file pages straight into the socket.
  sendfile: { parameters: ["i32", "i32", "buffer", "usize"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  sendto: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"], result: "i32" },
  recvfrom: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "buffer"], result: "i32" },
  // A batch of datagrams per call (struct mmsghdr arrays: core/sys/message_batch.ts); recvmmsg's timeout
  // is always null.
  sendmmsg: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  recvmmsg: { parameters: ["i32", "buffer", "u32", "i32", "pointer"], result: "i32" },
  // ioctl(2) is variadic too: one binding per argument kind (pointer to a struct, or a plain integer).
  ioctlPointer: { name: "ioctl", parameters: ["i32", "u64", "buffer"], result: "i32" },
  ioctlInteger: { name: "ioctl", parameters: ["i32", "u64", "u64"], result: "i32" },
  if_nametoindex: { parameters: ["buffer"], result: "u32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  // The sync form only ever runs with timeout 0: it recovers events or the errno after the nonblocking
  // form failed, because errno is thread-local and the nonblocking call ran on another thread.
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  epoll_wait_blocking: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  fdatasync: { parameters: ["i32"], result: "i32" },
  // The same call on a Deno blocking thread: a disk flush takes 0.1–1 ms or more, too long for the event loop
  // when many writers share it (group commit).
  fdatasync_blocking: { name: "fdatasync", parameters: ["i32"], result: "i32", nonblocking: true },
  setns: { parameters: ["i32", "i32"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let library: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

/** The libc bindings, opened on first use so that importing core/sys needs no --allow-ffi. */
export function libc(): Libc {
  library ??= Deno.dlopen("libc.so.6", SYMBOLS);
  return library.symbols;
}

/**
 * errno of the last failed sync call. Valid only right after that call: the JS thread made it, and no
 * other libc call runs on this thread in between.
 */
export function errno(): number {
  const location = libc().__errno_location();
  if (location === null) return 0;
  return new Deno.UnsafePointerView(location).getInt32();
}

/** A SysError built from the current errno, for a call that just returned -1. */
export function lastError(call: string, subject: string): SysError {
  return new SysError(call, subject, errno());
}

/** Returns `result`, or throws the SysError for errno when it is negative. */
export function check(result: number, call: string, subject: string): number {
  if (result < 0) throw lastError(call, subject);
  return result;
}

const encoder = new TextEncoder();

/** A NUL-terminated copy of `text` for C string parameters. */
export function cString(text: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(text);
  if (bytes.includes(0)) throw new TypeError(`string passed to libc contains NUL: ${JSON.stringify(text)}`);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** Closes an fd, ignoring errors: used on cleanup paths where the first error is the one to report. */
export function closeQuietly(fd: number): void {
  if (fd >= 0) libc().close(fd);
}
