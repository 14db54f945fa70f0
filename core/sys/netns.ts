import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from "./constants.ts";
import { check, closeQuietly, cString, lastError, libc } from "./libc.ts";

// Runs a sync function with the calling thread inside another network namespace. Sockets, TAPs and
// interface ioctls bind to the namespace current when they are created, and keep it afterwards, so a
// process in the root namespace can own fds that live in test or per-link namespaces.
//
// The JS thread is the one making sync FFI calls, so setns() moves exactly the code inside `fn`. The
// callback must stay sync: an await would let unrelated JS run inside the namespace.

export const NETNS_RUN_DIR = "/var/run/netns";

/** Path of a namespace made by `ip netns add NAME`. */
export function netnsPath(name: string): string {
  if (name.length === 0 || name.includes("/") || name === "." || name === "..") {
    throw new RangeError(`invalid network namespace name: ${JSON.stringify(name)}`);
  }
  return `${NETNS_RUN_DIR}/${name}`;
}

function openNamespace(path: string): number {
  return check(libc().open(cString(path), O_RDONLY | O_CLOEXEC, 0), "open", path);
}

/**
 * Calls `fn` with this thread in the network namespace `name` (from `ip netns add`, or an absolute
 * path such as /proc/PID/ns/net) and switches back before returning or throwing.
 */
export function withNetns<T>(name: string, fn: () => T): T {
  const target = name.startsWith("/") ? name : netnsPath(name);
  const lib = libc();
  // /proc/thread-self, not /proc/self: the namespace to return to is this thread's, which in a
  // Worker differs from the main thread's.
  const home = openNamespace("/proc/thread-self/ns/net");
  let inside = -1;
  try {
    inside = openNamespace(target);
    check(lib.setns(inside, CLONE_NEWNET), "setns", target);
    let result: T;
    try {
      result = fn();
    } finally {
      if (lib.setns(home, CLONE_NEWNET) < 0) {
        // Continuing would run the rest of the program in the wrong namespace.
        const error = lastError("setns", "/proc/thread-self/ns/net (return from withNetns)");
        console.error(`fatal: ${error.message}`);
        Deno.exit(70);
      }
    }
    if (result instanceof Promise) {
      throw new TypeError(
        "withNetns callback must be synchronous: the namespace switch cannot span an await",
      );
    }
    return result;
  } finally {
    closeQuietly(inside);
    closeQuietly(home);
  }
}
