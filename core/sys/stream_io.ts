import { SHUT_WR } from "./constants.ts";
import { Errno } from "./errno.ts";
import { errno, libc } from "./libc.ts";

// Sync calls on a non-blocking stream socket, for loops driven by epoll (core/http's sendfile server).
// Each returns a count, or -errno when the call failed: the hot path builds no Error for an EAGAIN.

/** errno as a negative result; never 0, which would read as "nothing moved" and spin the caller. */
function failed(): number {
  return -(errno() || Errno.EIO);
}

/** recv(2) into all of `buffer`: the bytes read, 0 when the peer closed, or -errno. */
export function receiveInto(fd: number, buffer: Uint8Array): number {
  const got = libc().recvfrom(fd, buffer, BigInt(buffer.length), 0, null, null);
  return got < 0 ? failed() : got;
}

/** send(2) of all of `bytes` with MSG_* `flags`: the bytes sent, or -errno. */
export function sendBytes(fd: number, bytes: Uint8Array, flags: number): number {
  const sent = libc().sendto(fd, bytes, BigInt(bytes.length), flags, null, 0);
  return sent < 0 ? failed() : sent;
}

/**
 * sendfile(2): up to `count` bytes of `fileFd` from `offset[0]` into the socket, which the kernel advances
 * `offset` past. The bytes sent (0 when the file ended early), or -errno.
 */
export function sendFileRange(
  socketFd: number,
  fileFd: number,
  offset: BigInt64Array,
  count: number,
): number {
  const sent = libc().sendfile(socketFd, fileFd, offset, BigInt(count));
  return sent < 0 ? failed() : sent;
}

/** shutdown(2) of the sending side: our FIN goes out after what is queued. */
export function shutdownWrite(fd: number): void {
  libc().shutdown(fd, SHUT_WR);
}
