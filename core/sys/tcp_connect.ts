import {
  AF_INET,
  SO_BINDTODEVICE,
  SO_ERROR,
  SO_LINGER,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
} from "./constants.ts";
import { errnoName } from "./errno.ts";
import { closeQuietly, lastError, libc } from "./libc.ts";
import { type Poller, sharedPoller } from "./poller.ts";
import { encodeSockaddrIn } from "./sockaddr.ts";
import { interfaceNameBytes } from "./ifreq.ts";
import { withNetns } from "./netns.ts";

/** What one TCP connection attempt found, in nmap's terms for a connect scan. */
export interface ConnectOutcome {
  state: "open" | "closed" | "filtered";
  /** Why: "syn-ack", "conn-refused", "no-response", or the errno name (EHOSTUNREACH, …). */
  reason: string;
  /** Time from connect() to the answer (or to the timeout). */
  elapsedMs: number;
}

export interface ConnectOptions {
  timeoutMs: number;
  /** Open the socket in this network namespace (the connection stays there). */
  netns?: string;
  /** SO_BINDTODEVICE. */
  device?: string;
  signal?: AbortSignal;
  poller?: Poller;
}

const lingerAbort = new Uint8Array(new Int32Array([1, 0]).buffer);

/**
 * One non-blocking connect() through libc, so the socket can be made in another namespace and the
 * outcome read exactly (SO_ERROR) rather than guessed from an exception's text. An accepted connection
 * is closed with SO_LINGER 0 (an RST, as nmap's connect scan leaves it), so thousands of probes leave no
 * TIME_WAIT sockets behind and the service sees no half-finished session.
 */
export async function tcpConnect(
  address: string,
  port: number,
  options: ConnectOptions,
): Promise<ConnectOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const begin = () => {
    const lib = libc();
    const fd = lib.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw lastError("socket", `tcp ${address}:${port}`);
    if (options.device !== undefined) {
      const name = interfaceNameBytes(options.device);
      if (lib.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, name.length) < 0) {
        const error = lastError("setsockopt", `SO_BINDTODEVICE ${options.device}`);
        closeQuietly(fd);
        throw error;
      }
    }
    const sockaddr = encodeSockaddrIn(address, port);
    const result = lib.connect(fd, sockaddr, sockaddr.length);
    const errno = result < 0 ? lastError("connect", `${address}:${port}`).errno : 0;
    return { fd, errno };
  };
  const { fd, errno } = options.netns ? withNetns(options.netns, begin) : begin();
  try {
    if (errno !== 0 && errnoName(errno) !== "EINPROGRESS") return outcomeOf(errno, elapsed());
    const poller = options.poller ?? sharedPoller();
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    try {
      await poller.writable(fd, { signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { state: "filtered", reason: "no-response", elapsedMs: elapsed() };
    } finally {
      poller.forget(fd, `tcp ${address}:${port}`);
    }
    const value = new Int32Array(1);
    const length = new Uint32Array([4]);
    const lib = libc();
    if (
      lib.getsockopt(fd, SOL_SOCKET, SO_ERROR, new Uint8Array(value.buffer), new Uint8Array(length.buffer)) <
        0
    ) {
      throw lastError("getsockopt", `SO_ERROR ${address}:${port}`);
    }
    if (value[0] === 0) lib.setsockopt(fd, SOL_SOCKET, SO_LINGER, lingerAbort, lingerAbort.length);
    return outcomeOf(value[0], elapsed());
  } finally {
    closeQuietly(fd);
  }
}

function outcomeOf(errno: number, elapsedMs: number): ConnectOutcome {
  if (errno === 0) return { state: "open", reason: "syn-ack", elapsedMs };
  const name = errnoName(errno);
  if (name === "ECONNREFUSED") return { state: "closed", reason: "conn-refused", elapsedMs };
  if (name === "ETIMEDOUT") return { state: "filtered", reason: "no-response", elapsedMs };
  // Unreachable answers (ICMP) and anything else: nmap reports these as filtered too.
  return { state: "filtered", reason: name, elapsedMs };
}
