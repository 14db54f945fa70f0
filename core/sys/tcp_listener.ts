import { SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM } from "./constants.ts";
import { Errno } from "./errno.ts";
import { localInetAddress, openInetSocket } from "./inet_socket.ts";
import { check, closeQuietly, errno, lastError, libc } from "./libc.ts";
import { decodeSockaddrIn, SOCKADDR_IN_SIZE } from "./sockaddr.ts";

const BACKLOG = 1024;

/**
 * A non-blocking IPv4 TCP listening socket owned through libc, for servers that need the connection's
 * fd itself (sendfile(2), exact errno) rather than Deno's stream wrapper.
 */
export class TcpListener {
  readonly #addressBuffer = new Uint8Array(SOCKADDR_IN_SIZE);
  readonly #addressLength = new Uint32Array(1);
  readonly #label: string;
  #fd: number;
  readonly port: number;

  constructor(readonly address: string, port: number) {
    const { fd, label } = openInetSocket(SOCK_STREAM, 0, "tcp", { address, port });
    try {
      check(libc().listen(fd, BACKLOG), "listen", label);
      this.port = localInetAddress(fd, label).port;
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    this.#fd = fd;
    this.#label = label;
  }

  get fd(): number {
    return this.#fd;
  }

  /**
   * One pending connection as a non-blocking fd with its peer's address, or null when none is waiting.
   * Errors that belong to one connection (it was reset while queued) are skipped; running out of fds
   * throws, so the caller can back off instead of spinning.
   */
  accept(): { fd: number; peer: string } | null {
    const lib = libc();
    for (;;) {
      this.#addressLength[0] = SOCKADDR_IN_SIZE;
      const fd = lib.accept4(
        this.#fd,
        this.#addressBuffer,
        this.#addressLength,
        SOCK_NONBLOCK | SOCK_CLOEXEC,
      );
      if (fd >= 0) {
        let peer = "";
        try {
          peer = decodeSockaddrIn(this.#addressBuffer, this.#addressLength[0]).address;
        } catch { /* not AF_INET: cannot happen on this socket; the peer stays unnamed */ }
        return { fd, peer };
      }
      const code = errno();
      if (code === Errno.EAGAIN) return null;
      if (code === Errno.EINTR || code === Errno.ECONNABORTED) continue;
      throw lastError("accept4", this.#label);
    }
  }

  close(): void {
    closeQuietly(this.#fd);
    this.#fd = -1;
  }
}
