import {
  AF_INET,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOL_SOCKET,
} from "./constants.ts";
import { interfaceNameBytes } from "./ifreq.ts";
import { check, closeQuietly, libc } from "./libc.ts";
import { decodeSockaddrIn, encodeSockaddrIn, type InetAddress, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";
import { isErrno } from "./errno.ts";

/** How an IPv4 socket is set up and bound (UDP, raw IP, TCP listeners). */
export interface InetSocketOptions {
  /**
   * SO_BINDTODEVICE: the socket sends and receives only through this interface, and sends need no
   * route at all (broadcasts to 255.255.255.255 included). One socket per interface is how a DHCP
   * server serves several links. Needs CAP_NET_RAW.
   */
  device?: string;
  /** Local address to bind; default 0.0.0.0. */
  address?: string;
  /** Local port; default 0 (the kernel picks one). */
  port?: number;
  /** SO_REUSEADDR, default true: servers restart without waiting for old sockets to go. */
  reuseAddress?: boolean;
  /** SO_REUSEPORT, default false. */
  reusePort?: boolean;
  /** SO_BROADCAST, default false: needed to send to broadcast addresses. */
  broadcast?: boolean;
  receiveBufferBytes?: number;
  /** SO_RCVBUFFORCE (needs CAP_NET_ADMIN): the receive buffer may exceed net.core.rmem_max. */
  forceReceiveBuffer?: boolean;
  sendBufferBytes?: number;
}

/**
 * socket(AF_INET, type, protocol) with the options applied and bound: shared by UDP, raw IP and TCP
 * listening sockets.
 * Returns the fd (O_NONBLOCK, CLOEXEC) and a label for error messages.
 */
export function openInetSocket(
  type: number,
  protocol: number,
  kind: string,
  options: InetSocketOptions,
): { fd: number; label: string } {
  const address = options.address ?? "0.0.0.0";
  const port = options.port ?? 0;
  const where = options.device === undefined ? `${address}:${port}` : `${address}:${port}%${options.device}`;
  const sockaddr = encodeSockaddrIn(address, port);
  const device = options.device === undefined ? undefined : interfaceNameBytes(options.device);
  const lib = libc();
  const fd = check(
    lib.socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol),
    "socket",
    `${kind} ${where}`,
  );
  try {
    if (options.reuseAddress ?? true) setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
    if (options.reusePort) setIntOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
    if (options.broadcast) setIntOption(fd, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST");
    if (options.receiveBufferBytes !== undefined) {
      setReceiveBuffer(fd, options.receiveBufferBytes, options.forceReceiveBuffer ?? false);
    }
    if (options.sendBufferBytes !== undefined) {
      setIntOption(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferBytes, "SO_SNDBUF");
    }
    if (device !== undefined) {
      const result = lib.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, device.length);
      check(result, "setsockopt", `SO_BINDTODEVICE ${options.device}`);
    }
    check(lib.bind(fd, sockaddr, sockaddr.length), "bind", where);
  } catch (error) {
    closeQuietly(fd);
    throw error;
  }
  return { fd, label: `${kind} ${where}` };
}

// Without CAP_NET_ADMIN the forced size is refused (EPERM): the size rmem_max allows is the next best.
function setReceiveBuffer(fd: number, bytes: number, force: boolean): void {
  if (force) {
    try {
      return setIntOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
    } catch (error) {
      if (!isErrno(error, "EPERM")) throw error;
    }
  }
  setIntOption(fd, SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
}

/** The address and port `fd` is bound to (the port the kernel chose when 0 was asked for). */
export function localInetAddress(fd: number, label: string): InetAddress {
  const buffer = new Uint8Array(SOCKADDR_IN_SIZE);
  const length = new Uint32Array([SOCKADDR_IN_SIZE]);
  check(libc().getsockname(fd, buffer, length), "getsockname", label);
  return decodeSockaddrIn(buffer, length[0]);
}
