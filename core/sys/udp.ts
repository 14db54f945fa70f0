import {
  AF_INET,
  IPPROTO_UDP,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOL_SOCKET,
  UDP_SEGMENT,
} from "./constants.ts";
import { DatagramFd, type ReceivedLength } from "./fd.ts";
import { interfaceNameBytes } from "./ifreq.ts";
import { check, closeQuietly, lastError, libc } from "./libc.ts";
import type { Poller } from "./poller.ts";
import { decodeSockaddrIn, encodeSockaddrIn, type InetAddress, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";

export interface UdpSocketOptions {
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
  sendBufferBytes?: number;
  poller?: Poller;
}

export interface Datagram {
  data: Uint8Array<ArrayBuffer>;
  address: string;
  port: number;
}

export interface ReceivedInto extends ReceivedLength {
  address: string;
  port: number;
}

/**
 * A UDP/IPv4 socket on a raw O_NONBLOCK fd, optionally pinned to one interface. Receives (tryReceive,
 * tryReceiveInto, receive, receiveInto) come from DatagramFd.
 */
export class UdpSocket extends DatagramFd<ReceivedInto, Datagram> {
  readonly label: string;
  readonly device: string | undefined;

  private constructor(fd: number, label: string, device: string | undefined, poller?: Poller) {
    super(fd, SOCKADDR_IN_SIZE, poller);
    this.label = label;
    this.device = device;
  }

  /** Creates, configures and binds the socket in the calling thread's network namespace. */
  static open(options: UdpSocketOptions = {}): UdpSocket {
    const { fd, label } = openInetSocket(SOCK_DGRAM, 0, "udp", options);
    return new UdpSocket(fd, label, options.device, options.poller);
  }

  /** The bound address and port (the port the kernel chose when 0 was asked for). */
  localAddress(): InetAddress {
    const buffer = new Uint8Array(SOCKADDR_IN_SIZE);
    const length = new Uint8Array(new Uint32Array([SOCKADDR_IN_SIZE]).buffer);
    check(libc().getsockname(this.fd, buffer, length), "getsockname", this.label);
    return decodeSockaddrIn(buffer, new DataView(length.buffer).getUint32(0, true));
  }

  /**
   * Sends one datagram now and returns the bytes sent. UDP sends do not wait: a full send buffer
   * throws SysError EAGAIN (check with isErrno(error, "EAGAIN")) rather than queueing in JS.
   */
  /**
   * Fixes the peer (connect(2) on a datagram socket): only its datagrams arrive, and ICMP errors for
   * what was sent to it (port unreachable, …) come back as receive errors such as ECONNREFUSED, which
   * is how a UDP scan tells a closed port from a silent one.
   */
  connect(address: string, port: number): void {
    const peer = encodeSockaddrIn(address, port);
    if (libc().connect(this.fd, peer, peer.length) < 0) {
      throw lastError("connect", `${address}:${port} from ${this.label}`);
    }
  }

  /**
   * Turns UDP GSO on (`size` > 0) or off (0): afterwards a send longer than `size` leaves as datagrams
   * of `size` bytes each, cut by the kernel (or the NIC) rather than sent one syscall at a time. False
   * where the kernel has no UDP_SEGMENT.
   */
  segmentDatagrams(size: number): boolean {
    try {
      setIntOption(this.fd, IPPROTO_UDP, UDP_SEGMENT, size, "UDP_SEGMENT");
      return true;
    } catch {
      return false;
    }
  }

  // The last destination's sockaddr, kept: a transfer sends thousands of datagrams to one peer.
  #destinationAddress = "";
  #destinationPort = -1;
  #destination = new Uint8Array(0);

  sendTo(data: Uint8Array, address: string, port: number): number {
    if (address !== this.#destinationAddress || port !== this.#destinationPort) {
      this.#destination = encodeSockaddrIn(address, port);
      this.#destinationAddress = address;
      this.#destinationPort = port;
    }
    const destination = this.#destination;
    const sent = libc().sendto(this.fd, data, BigInt(data.length), 0, destination, destination.length);
    if (sent < 0) throw lastError("sendto", `${address}:${port} from ${this.label}`);
    return sent;
  }

  protected describeReceived(
    length: number,
    truncated: boolean,
    source: Uint8Array,
    sourceLength: number,
  ): ReceivedInto {
    const { address, port } = decodeSockaddrIn(source, sourceLength);
    return { length, truncated, address, port };
  }

  protected withData(received: ReceivedInto, data: Uint8Array<ArrayBuffer>): Datagram {
    return { data, address: received.address, port: received.port };
  }
}

/**
 * socket(AF_INET, type, protocol) with the options applied and bound: shared by UDP and raw ICMP sockets.
 * Returns the fd (O_NONBLOCK, CLOEXEC) and a label for error messages.
 */
export function openInetSocket(
  type: number,
  protocol: number,
  kind: string,
  options: UdpSocketOptions,
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
      setIntOption(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferBytes, "SO_RCVBUF");
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
