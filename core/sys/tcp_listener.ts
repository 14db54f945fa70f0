import { AF_INET, SO_REUSEADDR, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM, SOL_SOCKET } from "./constants.ts";
import { Errno } from "./errno.ts";
import { check, closeQuietly, errno, lastError, libc } from "./libc.ts";
import { decodeSockaddrIn, encodeSockaddrIn, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";

const BACKLOG = 1024;

/**
 * A non-blocking IPv4 TCP listening socket owned through libc, for servers that need the connection's
 * fd itself (sendfile(2), exact errno) rather than Deno's stream wrapper.
 */
export class TcpListener {
  readonly #addressBuffer = new Uint8Array(SOCKADDR_IN_SIZE);
  readonly #addressLength = new Uint32Array(1);
  #fd: number;
  readonly port: number;

  constructor(readonly address: string, port: number) {
    const lib = libc();
    const fd = check(lib.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket", "tcp");
    try {
      setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
      const bound = encodeSockaddrIn(address, port);
      check(lib.bind(fd, bound, bound.length), "bind", `tcp ${address}:${port}`);
      check(lib.listen(fd, BACKLOG), "listen", `tcp ${address}:${port}`);
      this.#addressLength[0] = SOCKADDR_IN_SIZE;
      check(lib.getsockname(fd, this.#addressBuffer, this.#addressLength), "getsockname", "tcp");
      this.port = decodeSockaddrIn(this.#addressBuffer, this.#addressLength[0]).port;
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    this.#fd = fd;
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
      throw lastError("accept4", `tcp ${this.address}:${this.port}`);
    }
  }

  close(): void {
    closeQuietly(this.#fd);
    this.#fd = -1;
  }
}
